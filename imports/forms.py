from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from forum.models import Category
from imports.models import Format


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.ordered(),
        required=False,
        empty_label=_("A category per Slack channel, else “Importeret”"),
        help_text=_("Where the imported threads go."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.NETVAERK_IMPORT_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB.") % {"limit": limit}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
