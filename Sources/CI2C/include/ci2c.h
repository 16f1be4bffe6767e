/* placeholder header, replaced by the module's shim */
