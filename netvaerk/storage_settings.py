"""Where uploaded files live, from the environment (read by settings.py).

The file system (`MEDIA_ROOT`) by default. With `NETVAERK_S3_BUCKET` set, any
S3-compatible object store through django-storages (`pip install
"netvaerk[s3]"`): AWS S3, MinIO, Hetzner, DigitalOcean Spaces… Files stay
private in the bucket (no public ACL, no public URLs): members still get them
through the app's permission check (`/filer/...`), which streams them from the
bucket.
"""

from collections.abc import Mapping

S3_BACKEND = "storages.backends.s3.S3Storage"


def default_storage_from_env(environ: Mapping[str, str]) -> dict:
    bucket = environ.get("NETVAERK_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "location": environ.get("NETVAERK_S3_PREFIX", "media").strip("/"),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    optional = {
        "endpoint_url": "NETVAERK_S3_ENDPOINT_URL",
        "region_name": "NETVAERK_S3_REGION",
        "access_key": "NETVAERK_S3_ACCESS_KEY_ID",
        "secret_key": "NETVAERK_S3_SECRET_ACCESS_KEY",
    }
    for option, name in optional.items():
        if environ.get(name):
            options[option] = environ[name]
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
