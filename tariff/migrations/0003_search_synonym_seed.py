"""A first list of search synonyms: everyday and trade names for what the schedule calls otherwise,
US spellings, and common French words (the schedule data has no French yet). Officers edit the
list in the admin; this migration only adds terms that are not there."""

from django.db import migrations

SEED = {
    "en": {
        "tee": "t-shirts", "tees": "t-shirts", "tshirt": "t-shirts",
        "sweater": "jerseys pullovers cardigans", "jumper": "jerseys pullovers",
        "hoodie": "pullovers sweatshirts", "sweatshirt": "pullovers",
        "jeans": "trousers denim", "pants": "trousers", "slacks": "trousers",
        "sneakers": "footwear sports", "trainers": "footwear sports", "shoes": "footwear",
        "shoe": "footwear", "boots": "footwear", "sandals": "footwear", "slippers": "footwear",
        "coat": "overcoats", "parka": "anoraks", "bra": "brassieres", "swimsuit": "swimwear",
        "bathing suit": "swimwear", "pajamas": "pyjamas", "diaper": "napkins", "nappy": "napkins",
        "laptop": "portable automatic data processing machines",
        "notebook computer": "portable automatic data processing machines",
        "computer": "automatic data processing machines", "pc": "automatic data processing machines",
        "cell phone": "telephones cellular networks", "cellphone": "telephones cellular networks",
        "mobile phone": "telephones cellular networks", "smartphone": "telephones cellular networks",
        "phone": "telephones", "tv": "television", "charger": "static converters",
        "power bank": "accumulators lithium-ion", "light bulb": "lamps",
        "solar panel": "photovoltaic modules", "drone": "unmanned aircraft",
        "fridge": "refrigerators", "sofa": "seats upholstered", "couch": "seats upholstered",
        "bike": "bicycles", "car": "motor cars vehicles", "tyre": "tires", "tyres": "tires",
        "stroller": "baby carriages", "pram": "baby carriages",
        "jewelry": "jewellery", "necklace": "jewellery", "earrings": "jewellery", "bracelet": "jewellery",
        "purse": "handbags", "wallet": "wallets", "backpack": "rucksacks",
        "mug": "tableware cups", "frying pan": "cooking ware", "saucepan": "cooking ware",
        "duvet": "quilts eiderdowns", "comforter": "quilts eiderdowns",
        "lipstick": "lip make-up preparations", "cardboard": "paperboard", "glue": "adhesives",
        "pesticide": "insecticides fungicides herbicides", "fertiliser": "fertilizers",
        "stuffed animal": "toys stuffed", "plush": "toys stuffed", "teddy bear": "toys stuffed",
        "cookies": "biscuits sweet", "cookie": "biscuits sweet", "candy": "sugar confectionery",
        "soda": "beverages waters", "soft drink": "beverages waters", "liquor": "spirits",
        "whiskey": "whiskies", "shrimp": "shrimps prawns", "canned": "prepared preserved",
        "tinned": "prepared preserved", "beef": "bovine", "veal": "bovine", "pork": "swine",
        "lamb": "sheep", "mutton": "sheep", "chicken": "fowls poultry", "corn": "maize",
        "soy": "soya", "ketchup": "tomato sauces", "pet food": "dog cat food",
        "tool kit": "tools put up in sets", "tool set": "tools put up in sets",
        "reading glasses": "spectacles corrective", "faucet": "taps cocks valves", "torch": "flashlights",
    },
    "fr": {
        "chaussures": "footwear", "chaussure": "footwear", "vetements": "apparel clothing",
        "chemise": "shirts", "chemises": "shirts", "pantalon": "trousers", "pantalons": "trousers",
        "robe": "dresses", "manteau": "overcoats", "gants": "gloves", "chaussettes": "socks",
        "chapeau": "hats", "coton": "cotton", "laine": "wool", "soie": "silk", "cuir": "leather",
        "tricote": "knitted", "hommes": "men's", "femmes": "women's", "enfants": "children's",
        "jouet": "toys", "jouets": "toys", "ordinateur": "automatic data processing machines",
        "telephone": "telephones", "vin": "wine", "biere": "beer", "fromage": "cheese",
        "lait": "milk", "viande": "meat", "poisson": "fish", "crevettes": "shrimps prawns",
        "sucre": "sugar", "cafe": "coffee", "acier": "steel", "fer": "iron", "cuivre": "copper",
        "bois": "wood", "verre": "glass", "plastique": "plastics", "caoutchouc": "rubber",
        "papier": "paper", "voiture": "motor cars", "velo": "bicycles", "pneus": "tires",
        "meubles": "furniture", "chaise": "seats", "lampe": "lamps", "montre": "watches",
        "lunettes": "spectacles", "sac a main": "handbags", "bijoux": "jewellery",
        "medicaments": "medicaments", "jus": "juice", "huile": "oil", "farine": "flour",
    },
}  # fmt: skip


def seed_synonyms(apps, seed: dict, note: str):
    """Add the terms of `seed` ({language: {term: means}}) that are not there yet (0004 too)."""
    SearchSynonym = apps.get_model("tariff", "SearchSynonym")
    for language, terms in seed.items():
        for term, means in terms.items():
            SearchSynonym.objects.get_or_create(language=language, term=term, defaults={"means": means, "note": note})


def add_seed(apps, schema_editor):
    seed_synonyms(apps, SEED, "initial list")


class Migration(migrations.Migration):
    dependencies = [
        ("tariff", "0002_search_synonym"),
    ]

    operations = [
        migrations.RunPython(add_seed, migrations.RunPython.noop),
    ]
