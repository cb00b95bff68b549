"""JSON shapes of the tariff API. Descriptions come in English and, where the source has it, French
(an empty string otherwise); codes are given as digits (`number`) and as printed (`printed_code`)."""

from rest_framework import serializers

from .treatments import treatment_name

FRENCH_SOURCE_HELP = (
    "Where description_fr comes from: 'cbsa' (the Customs Tariff's French edition), 'hs' (the French "
    "wording of the Harmonized System, to six digits, not the Customs Tariff's own), '' (no French)."
)


class LineSerializer(serializers.Serializer):
    number = serializers.CharField(source="code")
    printed_code = serializers.CharField()
    level = serializers.CharField()
    description = serializers.CharField(source="description_en")
    description_fr = serializers.CharField()
    description_fr_source = serializers.CharField(help_text=FRENCH_SOURCE_HELP)
    unit_of_measure = serializers.CharField()


class PathStepSerializer(serializers.Serializer):
    number = serializers.CharField()
    level = serializers.CharField()
    description = serializers.CharField()
    description_fr = serializers.CharField()


class RateSerializer(serializers.Serializer):
    treatment = serializers.CharField()
    treatment_name = serializers.SerializerMethodField()
    text = serializers.CharField(help_text="As printed in the schedule.")
    structured = serializers.JSONField(
        allow_null=True, help_text="The assessment engine's reading of the text; null when it could not read it."
    )
    valid_from = serializers.DateField()
    schedule = serializers.CharField(help_text="The schedule version the rate comes from.")

    def get_treatment_name(self, rate) -> str:
        return treatment_name(rate.treatment)


class ClassificationSerializer(serializers.Serializer):
    schedule = serializers.CharField(source="schedule.label", help_text="The schedule version in force at as_of.")
    number = serializers.CharField(source="line.code")
    printed_code = serializers.CharField(source="line.printed_code")
    level = serializers.CharField(source="line.level")
    description = serializers.CharField(source="line.description_en")
    description_fr = serializers.CharField(source="line.description_fr")
    description_fr_source = serializers.CharField(source="line.description_fr_source", help_text=FRENCH_SOURCE_HELP)
    path = serializers.SerializerMethodField(help_text="Section, chapter, then every row printed above it.")
    unit_of_measure = serializers.CharField(
        source="line.unit_of_measure", help_text="UN/ECE code; empty on tariff items."
    )
    footnote = serializers.CharField(source="line.footnote")
    valid_from = serializers.DateField(source="line.valid_from")
    valid_to = serializers.DateField(
        source="line.valid_to", allow_null=True, help_text="First day it no longer applies."
    )
    rates_from = serializers.CharField(help_text="The tariff item whose rates apply.")
    rates = RateSerializer(many=True)
    children = LineSerializer(
        many=True, help_text="The rows under a tariff item: its classification numbers and any grouping rows."
    )

    def get_path(self, found) -> list[dict]:
        section, chapter = found.chapter.section, found.chapter
        steps = [
            {
                "number": section.roman,
                "level": "section",
                "description": section.title_en,
                "description_fr": section.title_fr,
            },
            {
                "number": chapter.number,
                "level": "chapter",
                "description": chapter.title_en,
                "description_fr": chapter.title_fr,
            },
        ]
        steps += [
            {
                "number": line.code,
                "level": line.level,
                "description": line.description_en,
                "description_fr": line.description_fr,
            }
            for line in found.path
        ]
        return PathStepSerializer(steps, many=True).data


class ChapterSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField(source="title_en")
    title_fr = serializers.CharField()


class SectionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    roman = serializers.CharField()
    title = serializers.CharField(source="title_en")
    title_fr = serializers.CharField()


class SectionSerializer(SectionSummarySerializer):
    chapters = ChapterSummarySerializer(many=True, source="chapters.all")


class NoteSerializer(serializers.Serializer):
    applies_to = serializers.SerializerMethodField()
    kind = serializers.CharField()
    text = serializers.CharField(source="text_en")
    text_fr = serializers.CharField()
    valid_from = serializers.DateField()

    def get_applies_to(self, note) -> str:
        return f"chapter {note.chapter_id}" if note.chapter_id else f"section {note.section_id}"


class ChapterSerializer(serializers.Serializer):
    schedule = serializers.CharField(source="schedule.label")
    number = serializers.CharField(source="chapter.number")
    title = serializers.CharField(source="chapter.title_en")
    title_fr = serializers.CharField(source="chapter.title_fr")
    section = SectionSummarySerializer(source="chapter.section")
    notes = NoteSerializer(many=True)
    headings = LineSerializer(many=True)


class DescendantSerializer(LineSerializer):
    parent = serializers.CharField(source="parent_code")
    depth = serializers.IntegerField(help_text="1 for the heading's children, 2 for theirs...")
    mfn = serializers.SerializerMethodField(help_text="The MFN rate printed on this row, if any.")

    def get_mfn(self, line) -> str | None:
        rate = self.context["mfn"].get(line.code)
        return rate.text if rate else None


class HeadingSerializer(serializers.Serializer):
    schedule = serializers.CharField(source="schedule.label")
    heading = LineSerializer()
    chapter = ChapterSummarySerializer()
    notes = NoteSerializer(many=True)
    descendants = serializers.SerializerMethodField(help_text="Every row under the heading, in schedule order.")

    def get_descendants(self, outline) -> list[dict]:
        return DescendantSerializer(outline.descendants, many=True, context={"mfn": outline.mfn}).data


class SearchHitSerializer(serializers.Serializer):
    number = serializers.CharField(source="code", help_text="A classification number, or a tariff item without one.")
    printed_code = serializers.CharField()
    description = serializers.CharField()
    path = serializers.ListField(
        child=serializers.CharField(), help_text="Descriptions printed above it, heading first."
    )
    unit_of_measure = serializers.CharField()
    score = serializers.FloatField(help_text="0 to 1; 1 for code matches.")
    why = serializers.ListField(child=serializers.CharField(), help_text="Why it matched, in short phrases.")


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    as_of = serializers.DateField()
    results = SearchHitSerializer(many=True)
    question = serializers.CharField(
        allow_null=True,
        help_text="When the first two results differ by material, form or use: the question that tells them apart.",
    )


class ChangeSerializer(serializers.Serializer):
    schedule = serializers.CharField(source="version.label")
    effective_date = serializers.DateField(source="version.effective_date")
    number = serializers.CharField(source="code")
    treatment = serializers.CharField(help_text="Empty for a change to the row itself (description, unit...).")
    action = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class VersionSerializer(serializers.Serializer):
    label = serializers.CharField()
    effective_date = serializers.DateField()
    source_name = serializers.CharField()
    treatments = serializers.ListField(child=serializers.CharField(), help_text="Treatment columns the file carried.")
    loaded_at = serializers.DateTimeField()
