"""The site: the page list, page writers, ordering, generate's folder, the staged swap."""
