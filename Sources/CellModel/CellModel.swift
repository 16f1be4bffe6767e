// CellModel
