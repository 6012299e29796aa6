"""The map's vocabulary: the model, located problems, ids and names, labels, where each page lives."""
