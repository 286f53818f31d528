from netvaerk.storage_settings import S3_BACKEND, default_storage_from_env


def test_files_live_in_media_root_by_default():
    assert default_storage_from_env({}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_a_bucket_name_moves_them_to_private_s3_storage():
    storage = default_storage_from_env(
        {
            "NETVAERK_S3_BUCKET": "netvaerk-filer",
            "NETVAERK_S3_ENDPOINT_URL": "https://fsn1.your-objectstorage.com",
            "NETVAERK_S3_REGION": "fsn1",
            "NETVAERK_S3_ACCESS_KEY_ID": "key",
            "NETVAERK_S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    assert storage["BACKEND"] == S3_BACKEND
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "netvaerk-filer"
    assert options["endpoint_url"] == "https://fsn1.your-objectstorage.com"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["file_overwrite"] is False and options["location"] == "media"


def test_unset_credentials_are_left_to_the_environment():
    options = default_storage_from_env({"NETVAERK_S3_BUCKET": "b"})["OPTIONS"]
    assert "access_key" not in options and "endpoint_url" not in options
