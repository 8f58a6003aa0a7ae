from nosuchmodule_xyz import q
