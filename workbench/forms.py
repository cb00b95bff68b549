from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rights import OfficerRole

from .models import SupportRequest


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


class AppointForm(ReasonForm):
    email = forms.EmailField(label=_("E-mail address of the CBSA employee"))
    role = forms.ChoiceField(label=_("Officer role"), choices=OfficerRole.choices)
    field_order = ["email", "role", "reason"]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("New note"), widget=forms.Textarea, max_length=5000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea, max_length=5000)


class AskForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["kind", "bn9", "subject", "question"]
        widgets = {"question": forms.Textarea}
        help_texts = {"bn9": _("The nine digits of the business number the request is about, if any.")}

    def clean_bn9(self):
        bn9 = self.cleaned_data["bn9"].strip()
        if bn9 and not (len(bn9) == 9 and bn9.isdigit()):
            raise forms.ValidationError(_("A business number has nine digits."))
        return bn9


class LaunchForm(ReasonForm):
    job = forms.ChoiceField(label=_("Job"))
    day = forms.DateField(label=_("Day the job runs for"), widget=forms.DateInput(attrs={"type": "date"}))
    field_order = ["job", "day", "reason"]

    def __init__(self, *args, jobs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = [(job.key, job.label) for job in jobs.values()]
        self.fields["day"].initial = timezone.localdate()


class AssignForm(ReasonForm):
    officer = forms.ChoiceField(label=_("Assign to"))
    field_order = ["officer", "reason"]

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [(str(user.pk), user.email) for user in officers]


class DecideForm(forms.Form):
    """One decision on the selected items of a queue (its fields prefixed: the page's assignment form
    has a reason too). 200 characters: the longest reason a refund decision keeps."""

    prefix = "decide"
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea, max_length=200)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period comes after its end."))
        return data
