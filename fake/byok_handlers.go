package fake

import (
	"context"

	"github.com/orkeys/orkeys/fake/internal/fakeapi"
)

func (o operations) ListBYOKKeys(_ context.Context, req fakeapi.ListBYOKKeysRequestObject) (fakeapi.ListBYOKKeysResponseObject, error) {
	data, total := o.s.keys.listBYOK(req.Params)
	return fakeapi.ListBYOKKeys200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) CreateBYOKKey(_ context.Context, req fakeapi.CreateBYOKKeyRequestObject) (fakeapi.CreateBYOKKeyResponseObject, error) {
	k, aerr := o.s.keys.createBYOK(*req.Body)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.CreateBYOKKey201JSONResponse{Data: k}, nil
}

func (o operations) GetBYOKKey(_ context.Context, req fakeapi.GetBYOKKeyRequestObject) (fakeapi.GetBYOKKeyResponseObject, error) {
	k, aerr := o.s.keys.getBYOK(req.ID)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.GetBYOKKey200JSONResponse{Data: k}, nil
}

func (o operations) UpdateBYOKKey(_ context.Context, req fakeapi.UpdateBYOKKeyRequestObject) (fakeapi.UpdateBYOKKeyResponseObject, error) {
	k, aerr := o.s.keys.updateBYOK(req.ID, *req.Body)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.UpdateBYOKKey200JSONResponse{Data: k}, nil
}

func (o operations) DeleteBYOKKey(_ context.Context, req fakeapi.DeleteBYOKKeyRequestObject) (fakeapi.DeleteBYOKKeyResponseObject, error) {
	if aerr := o.s.keys.deleteBYOK(req.ID); aerr != nil {
		return aerr, nil
	}
	return fakeapi.DeleteBYOKKey200JSONResponse{Deleted: true}, nil
}
