print("cellpress")
