"""Reading the YAML sources: positions, validation, repair, schemas, logic checks, skeletons."""
