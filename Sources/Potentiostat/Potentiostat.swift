// Potentiostat
