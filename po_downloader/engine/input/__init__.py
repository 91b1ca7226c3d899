"""From the user's spreadsheet to the list of POs to work: reading sheets, PO numbers, the plan."""
