from access.models import Role, RoleGrant
from businesses import demo
from businesses.models import Business, ProgramAccount
from rights import Action, may


def test_the_demo_businesses_are_linked_to_their_people_and_loading_again_changes_nothing(maple, reader):
    demo.seed()
    assert dict(Business.objects.values_list("bn9", "kind")) == {
        "123456782": "importer",
        "123026635": "customs_broker",
        "876543216": "trade_consultant",
    }
    assert dict(RoleGrant.objects.filter(role=Role.BAM).values_list("business__bn9", "user__email")) == {
        "123456782": "alice@maple.example",
        "123026635": "bob@northern.example",
        "876543216": "tina@tidewater.example",
    }
    assert may(reader, Action.VIEW, ProgramAccount.objects.get(number="123456782RM0001"))
    assert not ProgramAccount.objects.filter(business__bn9="876543216").exists()  # its registry account is GST/HST
    assert not Business.objects.filter(bn9="456789122").exists()  # Prairie Goods waits for a newcomer
