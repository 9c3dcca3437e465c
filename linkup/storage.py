from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Fingerprinted, compressed static files, with ES module imports rewritten
    to their fingerprinted names too."""

    support_js_module_import_aggregation = True
