"""Files on disk: the checkpoint format (read safely), the models' and classifiers'
manifests with their checksums, locks, atomic writes, and names made safe as file names.
Nothing here builds a model or knows a metric."""
