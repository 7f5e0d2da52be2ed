"""A fixed demo catalog for the local stack and the e2e tests: seven categories, 72 products on sale,
two drafts and two archived products, priced in EUR, USD and JPY, with stock in two warehouses.

Everything is built from the tables below; nothing is random, so every run seeds the same shop.
The constants name the SKUs and products the tests look for (low stock, no stock, no yen price, hidden).
"""

from __future__ import annotations

import zlib
from typing import NamedTuple

from commerce.domain.catalog import Category, Product, ProductStatus, Text, Variant
from commerce.domain.money import Money

PARIS = "wh-paris"
BERLIN = "wh-berlin"
LOCATIONS = (PARIS, BERLIN)
IMAGE_BASE_URL = "https://images.example.com/products"

# Variants priced in EUR and USD only: asking for JPY must not offer them.
NOT_SOLD_IN_JPY: frozenset[str] = frozenset(
    {"SWT-HOO-BLK-L", "SHO-DRB-45", "ACC-SCK-BLK-43-46", "JKT-PUF-OLV-XL"}
)
# 1 to 5 units in all, at or under the default low-stock threshold of 5; some split over both warehouses.
LOW_STOCK_SKUS: frozenset[str] = frozenset(
    {
        "TEE-ORG-WHT-S",
        "TEE-BRT-RED-L",
        "SWT-CSH-CML-M",
        "SHO-HIK-44",
        "SHO-SNK-38",
        "BAG-MSG-BLK",
        "HAT-PAN-NAT-L",
        "ACC-SUN-TRT",
        "JKT-BKR-BLK-S",
        "JKT-OVC-CML-L",
    }
)
# Never received. Both variants of the sherpa trapper hat are here, so one whole product is sold out.
OUT_OF_STOCK_SKUS: frozenset[str] = frozenset(
    {
        "HAT-TRP-BRN",
        "HAT-TRP-BLK",
        "TEE-MRN-GRY-L",
        "SWT-NRD-RED-M",
        "SHO-TRL-44",
        "SHO-SND-42",
        "BAG-RLT-YEL",
        "ACC-GLV-BRN-L",
        "JKT-RAN-YEL-S",
        "JKT-DNM-BLK-L",
    }
)
# Not on sale, though in stock: no listing, search or cart may show them.
DRAFT_PRODUCT_IDS: frozenset[str] = frozenset({"prd-0073", "prd-0074"})
ARCHIVED_PRODUCT_IDS: frozenset[str] = frozenset({"prd-0075", "prd-0076"})

_COLOUR_CODES = {
    "black": "BLK",
    "blue": "BLU",
    "brown": "BRN",
    "burgundy": "BUR",
    "camel": "CML",
    "charcoal": "CHR",
    "cream": "CRM",
    "green": "GRN",
    "grey": "GRY",
    "natural": "NAT",
    "navy": "NVY",
    "oatmeal": "OAT",
    "olive": "OLV",
    "orange": "ORA",
    "pink": "PNK",
    "red": "RED",
    "sand": "SND",
    "tan": "TAN",
    "tortoise": "TRT",
    "white": "WHT",
    "yellow": "YEL",
}

# slug, then the name in en, fr and de; ranks follow the order.
_CATEGORIES = (
    ("t-shirts", "T-shirts", "T-shirts", "T-Shirts"),
    ("sweaters", "Sweaters", "Pulls", "Pullover"),
    ("shoes", "Shoes", "Chaussures", "Schuhe"),
    ("bags", "Bags", "Sacs", "Taschen"),
    ("hats", "Hats", "Chapeaux et bonnets", "Mützen und Hüte"),
    ("accessories", "Accessories", "Accessoires", "Accessoires"),
    ("jackets", "Jackets", "Vestes et manteaux", "Jacken und Mäntel"),
)


class _Row(NamedTuple):
    """One product: its variants are every colour in every size ("" when it has no such choice)."""

    slug: str
    sku_prefix: str
    eur_cents: int
    colours: str
    sizes: str
    en: tuple[str, str]
    fr: tuple[str, str]
    de: tuple[str, str] | None = None


# fmt: off
_T_SHIRTS = (
    _Row("organic-cotton-tee", "TEE-ORG", 2990, "black white navy", "S M",
         ("Organic cotton tee", "A soft everyday T-shirt in certified organic cotton."),
         ("T-shirt en coton bio", "Un T-shirt doux du quotidien en coton biologique certifié."),
         ("T-Shirt aus Bio-Baumwolle", "Ein weiches Alltags-T-Shirt aus zertifizierter Bio-Baumwolle.")),
    _Row("breton-striped-top", "TEE-BRT", 3990, "navy red", "S M L",
         ("Breton striped top", "A classic long-sleeved striped top inspired by French sailors."),
         ("Marinière rayée", "Une marinière classique à manches longues, inspirée des marins bretons."),
         ("Bretonisches Ringelshirt", "Ein klassisches Langarmshirt mit Streifen nach Art der Seeleute.")),
    _Row("linen-crew-neck-tee", "TEE-LIN", 4490, "white sand", "M L",
         ("Linen crew-neck tee", "A light, breathable tee in washed linen for hot summer days."),
         ("T-shirt col rond en lin", "Un T-shirt léger et respirant en lin lavé pour les journées d'été.")),
    _Row("merino-running-tee", "TEE-MRN", 5490, "black grey", "S M L",
         ("Merino running tee", "A fine merino wool tee that stays dry and odour-free on long runs."),
         ("T-shirt de course en mérinos",
          "Un T-shirt fin en laine mérinos qui reste sec et sans odeur pendant les longues sorties."),
         ("Merino-Laufshirt",
          "Ein feines Shirt aus Merinowolle, das auch auf langen Läufen trocken und geruchsfrei bleibt.")),
    _Row("heavyweight-pocket-tee", "TEE-HVY", 3490, "olive black", "M L XL",
         ("Heavyweight pocket tee", "A sturdy boxy tee in thick cotton jersey with a chest pocket."),
         ("T-shirt épais à poche",
          "Un T-shirt ample et robuste en jersey de coton épais, avec poche poitrine.")),
    _Row("mountain-graphic-tee", "TEE-MTN", 2790, "white", "S M L XL",
         ("Mountain graphic tee", "A cotton tee printed with a hand-drawn alpine skyline."),
         ("T-shirt imprimé montagne", "Un T-shirt en coton imprimé d'un paysage alpin dessiné à la main."),
         ("T-Shirt mit Bergmotiv", "Ein Baumwoll-T-Shirt mit handgezeichnetem Alpenpanorama.")),
    _Row("bamboo-v-neck-tee", "TEE-BAM", 3290, "grey pink", "S M",
         ("Bamboo V-neck tee", "A silky V-neck tee made from bamboo viscose that drapes beautifully."),
         ("T-shirt col V en bambou", "Un T-shirt col V soyeux en viscose de bambou, au tombé fluide.")),
    _Row("long-sleeve-henley", "TEE-HEN", 3990, "cream charcoal", "M L",
         ("Long-sleeve henley", "A waffle-knit henley with a three-button placket for cooler evenings."),
         ("Henley à manches longues",
          "Un henley en maille gaufrée avec patte à trois boutons pour les soirées fraîches."),
         ("Langarm-Henley", "Ein Henley-Shirt in Waffelstrick mit Dreiknopfleiste für kühlere Abende.")),
    _Row("recycled-sport-tee", "TEE-RSP", 2490, "blue black", "S M L",
         ("Recycled sport tee", "A quick-drying training tee made from recycled polyester."),
         ("T-shirt de sport recyclé", "Un T-shirt d'entraînement à séchage rapide en polyester recyclé.")),
    _Row("slub-cotton-raglan-tee", "TEE-RAG", 3190, "grey navy", "M L",
         ("Slub cotton raglan tee", "A relaxed raglan-sleeve tee with the soft texture of slub cotton."),
         ("T-shirt raglan en coton flammé",
          "Un T-shirt décontracté à manches raglan, au toucher irrégulier du coton flammé.")),
    _Row("oversized-washed-tee", "TEE-OVR", 3590, "black sand", "S M L",
         ("Oversized washed tee", "A garment-dyed oversized tee with a lived-in vintage feel."),
         ("T-shirt oversize délavé", "Un T-shirt oversize teint en pièce, à l'allure vintage."),
         ("Oversize-Shirt in Washed-Optik",
          "Ein stückgefärbtes Oversize-Shirt mit getragenem Vintage-Look.")),
)

_SWEATERS = (
    _Row("merino-crew-neck-sweater", "SWT-MER", 8990, "navy grey", "S M L",
         ("Merino crew-neck sweater", "A fine-gauge merino sweater that layers easily under a jacket."),
         ("Pull col rond en mérinos", "Un pull fin en laine mérinos qui se porte facilement sous une veste."),
         ("Merino-Pullover mit Rundhals",
          "Ein feinmaschiger Merino-Pullover, der sich leicht unter einer Jacke tragen lässt.")),
    _Row("cable-knit-fisherman-sweater", "SWT-CBL", 11900, "cream", "S M L XL",
         ("Cable-knit fisherman sweater", "A chunky wool sweater with traditional Aran cables."),
         ("Pull irlandais torsadé", "Un gros pull en laine aux torsades traditionnelles d'Aran."),
         ("Irischer Zopfmusterpullover", "Ein kräftiger Wollpullover mit traditionellem Aran-Zopfmuster.")),
    _Row("cashmere-v-neck-sweater", "SWT-CSH", 15900, "camel black", "M L",
         ("Cashmere V-neck sweater", "A light, warm sweater knitted from pure Mongolian cashmere."),
         ("Pull col V en cachemire", "Un pull léger et chaud tricoté en pur cachemire de Mongolie.")),
    _Row("lambswool-cardigan", "SWT-CRD", 9490, "grey burgundy", "S M L",
         ("Lambswool cardigan", "A button-front cardigan in soft Scottish lambswool."),
         ("Gilet en laine d'agneau", "Un gilet boutonné en douce laine d'agneau écossaise."),
         ("Strickjacke aus Lammwolle",
          "Eine Strickjacke mit Knopfleiste aus weicher schottischer Lammwolle.")),
    _Row("organic-cotton-hoodie", "SWT-HOO", 6990, "grey black", "S M L",
         ("Organic cotton hoodie",
          "A brushed fleece hoodie with a kangaroo pocket, made from organic cotton."),
         ("Sweat à capuche en coton bio",
          "Un sweat à capuche molletonné avec poche kangourou, en coton biologique.")),
    _Row("half-zip-fleece", "SWT-FLC", 5990, "green navy", "M L XL",
         ("Half-zip fleece", "A warm recycled fleece pullover with a half-length zip."),
         ("Polaire demi-zippée", "Une polaire chaude en matière recyclée avec demi-fermeture éclair."),
         ("Fleecepullover mit kurzem Reißverschluss",
          "Ein warmer Pullover aus recyceltem Fleece mit halblangem Reißverschluss.")),
    _Row("ribbed-roll-neck-sweater", "SWT-ROL", 8490, "black cream", "S M",
         ("Ribbed roll-neck sweater", "A close-fitting ribbed turtleneck in a merino and alpaca blend."),
         ("Pull col roulé côtelé",
          "Un pull col roulé ajusté en maille côtelée, mélange de mérinos et d'alpaga.")),
    _Row("nordic-pattern-sweater", "SWT-NRD", 10900, "red navy", "M L",
         ("Nordic pattern sweater", "A jacquard wool sweater with a snowflake yoke."),
         ("Pull jacquard nordique", "Un pull en laine jacquard à l'empiècement orné de flocons de neige."),
         ("Norweger-Pullover", "Ein Wollpullover in Jacquardstrick mit Schneeflockenmuster an der Passe.")),
    _Row("loopback-crew-sweatshirt", "SWT-SWS", 4990, "grey navy", "S M L",
         ("Loopback crew sweatshirt", "A midweight cotton sweatshirt with ribbed cuffs and hem."),
         ("Sweat-shirt col rond", "Un sweat-shirt en coton mi-épais avec poignets et bas côtelés.")),
    _Row("shawl-collar-cardigan", "SWT-SHW", 12900, "charcoal oatmeal", "M L",
         ("Shawl-collar cardigan", "A chunky knitted cardigan with a wide shawl collar and wooden buttons."),
         ("Gilet à col châle", "Un gilet en grosse maille avec un large col châle et des boutons en bois."),
         ("Cardigan mit Schalkragen", "Eine grobgestrickte Jacke mit breitem Schalkragen und Holzknöpfen.")),
)

_SHOES = (
    _Row("waterproof-hiking-boots", "SHO-HIK", 15900, "", "39 40 41 42 43 44",
         ("Waterproof hiking boots",
          "Leather hiking boots with a waterproof membrane and grippy rubber soles."),
         ("Chaussures de randonnée imperméables",
          "Des chaussures de randonnée en cuir, à membrane imperméable et semelle en caoutchouc adhérente."),
         ("Wasserdichte Wanderschuhe",
          "Wanderschuhe aus Leder mit wasserdichter Membran und griffiger Gummisohle.")),
    _Row("white-leather-sneakers", "SHO-SNK", 11900, "", "38 39 40 41 42",
         ("White leather sneakers", "Minimal low-top sneakers in smooth white leather."),
         ("Baskets en cuir blanc", "Des baskets basses épurées en cuir blanc lisse."),
         ("Weiße Ledersneaker", "Schlichte Low-Top-Sneaker aus glattem weißem Leder.")),
    _Row("trail-running-shoes", "SHO-TRL", 13900, "", "40 41 42 43 44",
         ("Trail running shoes", "Light, cushioned running shoes with deep lugs for muddy trails."),
         ("Chaussures de trail",
          "Des chaussures de course légères et amorties, aux crampons profonds pour les sentiers boueux.")),
    _Row("suede-chelsea-boots", "SHO-CHL", 16900, "", "40 41 42 43",
         ("Suede Chelsea boots", "Slip-on ankle boots in soft suede with elastic side panels."),
         ("Bottines Chelsea en daim", "Des bottines à enfiler en daim souple avec élastiques latéraux."),
         ("Chelsea-Boots aus Veloursleder",
          "Stiefeletten zum Hineinschlüpfen aus weichem Veloursleder mit seitlichen Gummizügen.")),
    _Row("canvas-espadrilles", "SHO-ESP", 3990, "", "37 38 39 40 41 42",
         ("Canvas espadrilles", "Summer slip-ons with a cotton canvas upper and a braided jute sole."),
         ("Espadrilles en toile", "Des chaussures d'été en toile de coton avec semelle en jute tressée.")),
    _Row("felted-wool-slippers", "SHO-SLP", 4990, "", "38 40 42 44",
         ("Felted wool slippers", "Warm house slippers in boiled wool with a soft suede sole."),
         ("Chaussons en laine bouillie",
          "Des chaussons chauds en laine bouillie avec semelle en daim souple."),
         ("Hausschuhe aus Walkwolle", "Warme Hausschuhe aus Walkwolle mit weicher Wildledersohle.")),
    _Row("leather-derby-shoes", "SHO-DRB", 14900, "", "40 41 42 43 44 45",
         ("Leather derby shoes", "Goodyear-welted derby shoes in polished brown calf leather."),
         ("Derbies en cuir", "Des derbies cousues Goodyear en cuir de veau marron ciré.")),
    _Row("recycled-road-running-shoes", "SHO-RUN", 10900, "", "39 40 41 42 43",
         ("Recycled road running shoes",
          "Responsive road running shoes with an upper knitted from recycled bottles."),
         ("Chaussures de course sur route recyclées",
          "Des chaussures de course réactives dont la tige est tricotée à partir de bouteilles recyclées."),
         ("Recycelte Straßenlaufschuhe",
          "Reaktionsfreudige Laufschuhe, deren Obermaterial aus recycelten Flaschen gestrickt ist.")),
    _Row("rubber-rain-boots", "SHO-RAN", 6990, "", "37 38 39 40 41",
         ("Rubber rain boots", "Tall natural-rubber wellies that keep your feet dry through any downpour."),
         ("Bottes de pluie en caoutchouc",
          "De hautes bottes en caoutchouc naturel qui gardent les pieds au sec sous l'averse.")),
    _Row("leather-strap-sandals", "SHO-SND", 7990, "", "38 39 40 41 42",
         ("Leather strap sandals", "Flat sandals with adjustable vegetable-tanned leather straps."),
         ("Sandales à brides en cuir", "Des sandales plates à brides réglables en cuir tanné végétal."),
         ("Ledersandalen mit Riemen",
          "Flache Sandalen mit verstellbaren Riemen aus pflanzlich gegerbtem Leder.")),
    _Row("insulated-winter-boots", "SHO-WNT", 18900, "", "39 41 43 45",
         ("Insulated winter boots", "Snow boots lined with wool felt, warm down to minus thirty degrees."),
         ("Bottes d'hiver fourrées",
          "Des bottes de neige doublées de feutre de laine, chaudes jusqu'à moins trente degrés.")),
)

_BAGS = (
    _Row("canvas-tote-bag", "BAG-TOT", 3490, "natural black navy", "",
         ("Canvas tote bag", "A roomy tote in heavy cotton canvas with long shoulder straps."),
         ("Sac cabas en toile", "Un grand cabas en toile de coton épaisse avec de longues anses."),
         ("Tragetasche aus Canvas",
          "Eine geräumige Tasche aus schwerem Baumwoll-Canvas mit langen Henkeln.")),
    _Row("waxed-canvas-backpack", "BAG-BPK", 12900, "olive brown black", "",
         ("Waxed canvas backpack", "A weatherproof daypack in waxed canvas with a padded laptop sleeve."),
         ("Sac à dos en toile cirée",
          "Un sac à dos imperméable en toile cirée avec compartiment rembourré pour ordinateur."),
         ("Rucksack aus gewachstem Canvas",
          "Ein wetterfester Tagesrucksack aus gewachstem Canvas mit gepolstertem Laptopfach.")),
    _Row("leather-messenger-bag", "BAG-MSG", 19900, "brown black", "",
         ("Leather messenger bag", "A full-grain leather messenger bag that fits a 14-inch laptop."),
         ("Sacoche en cuir",
          "Une sacoche en cuir pleine fleur pouvant accueillir un ordinateur de 14 pouces.")),
    _Row("roll-top-cycling-backpack", "BAG-RLT", 8990, "black yellow", "",
         ("Roll-top cycling backpack",
          "A waterproof roll-top backpack with reflective details for city cycling."),
         ("Sac à dos vélo à fermeture enroulable",
          "Un sac à dos étanche avec détails réfléchissants pour le vélo en ville."),
         ("Rolltop-Fahrradrucksack",
          "Ein wasserdichter Rolltop-Rucksack mit reflektierenden Details für das Radfahren in der Stadt.")),
    _Row("leather-crossbody-bag", "BAG-CRS", 9990, "tan black burgundy", "",
         ("Leather crossbody bag", "A compact crossbody bag with an adjustable strap and a magnetic flap."),
         ("Sac bandoulière en cuir", "Un petit sac bandoulière avec sangle réglable et rabat aimanté.")),
    _Row("weekender-duffel-bag", "BAG-DUF", 14900, "navy olive", "",
         ("Weekender duffel bag", "A canvas and leather holdall sized for a weekend away."),
         ("Sac de voyage week-end", "Un sac de voyage en toile et cuir, juste assez grand pour un week-end."),
         ("Weekender-Reisetasche",
          "Eine Reisetasche aus Canvas und Leder, genau richtig für ein Wochenende.")),
    _Row("packable-daypack", "BAG-PCK", 3990, "blue red grey", "",
         ("Packable daypack", "An ultralight backpack that folds into its own pocket."),
         ("Sac à dos pliable", "Un sac à dos ultraléger qui se replie dans sa propre poche.")),
    _Row("nylon-hip-pack", "BAG-HIP", 4490, "black green", "",
         ("Nylon hip pack",
          "A small belt bag for keys, phone and cards, worn at the waist or across the chest."),
         ("Sac banane en nylon",
          "Une petite banane pour les clés, le téléphone et les cartes, à porter à la taille ou en travers."),
         ("Bauchtasche aus Nylon",
          "Eine kleine Gürteltasche für Schlüssel, Handy und Karten, an der Hüfte oder quer getragen.")),
    _Row("felt-laptop-sleeve", "BAG-SLV", 3990, "grey black", "",
         ("Felt laptop sleeve", "A padded wool-felt sleeve that protects a 13-inch laptop."),
         ("Housse d'ordinateur en feutre",
          "Une housse rembourrée en feutre de laine qui protège un ordinateur de 13 pouces.")),
    _Row("straw-market-basket", "BAG-STR", 4990, "natural black", "",
         ("Straw market basket",
          "A hand-woven straw basket with leather handles for the market and the beach."),
         ("Panier en paille",
          "Un panier en paille tressé à la main avec anses en cuir, pour le marché et la plage."),
         ("Korbtasche aus Stroh", "Eine handgeflochtene Strohtasche mit Ledergriffen für Markt und Strand.")),
)

_HATS = (
    _Row("merino-beanie", "HAT-BNE", 2990, "grey navy red", "",
         ("Merino beanie", "A ribbed beanie in soft merino wool, warm without itching."),
         ("Bonnet en mérinos", "Un bonnet côtelé en laine mérinos douce, chaud sans gratter."),
         ("Beanie aus Merinowolle", "Eine gerippte Mütze aus weicher Merinowolle, warm und kratzfrei.")),
    _Row("pompom-bobble-hat", "HAT-POM", 3490, "cream burgundy", "",
         ("Pompom bobble hat", "A chunky knitted hat topped with a faux-fur pompom."),
         ("Bonnet à pompon", "Un bonnet en grosse maille surmonté d'un pompon en fausse fourrure.")),
    _Row("wool-felt-fedora", "HAT-FED", 7990, "black camel", "M L",
         ("Wool felt fedora", "A classic fedora in stiff wool felt with a grosgrain band."),
         ("Chapeau fedora en feutre", "Un fedora classique en feutre de laine rigide avec ruban gros-grain."),
         ("Fedora aus Wollfilz", "Ein klassischer Fedora aus festem Wollfilz mit Ripsband.")),
    _Row("cotton-baseball-cap", "HAT-CAP", 2490, "navy black white", "",
         ("Cotton baseball cap", "A six-panel cap in washed cotton twill with an adjustable strap."),
         ("Casquette de baseball en coton",
          "Une casquette six panneaux en sergé de coton lavé avec bride réglable.")),
    _Row("panama-straw-hat", "HAT-PAN", 8990, "natural", "M L",
         ("Panama straw hat", "A toquilla straw hat hand-woven in Ecuador, made for sunny days."),
         ("Chapeau panama en paille",
          "Un chapeau en paille toquilla tissé à la main en Équateur, pour les jours ensoleillés."),
         ("Panamahut aus Stroh",
          "Ein handgeflochtener Hut aus Toquilla-Stroh aus Ecuador für sonnige Tage.")),
    _Row("waxed-cotton-bucket-hat", "HAT-BKT", 3990, "olive sand", "",
         ("Waxed cotton bucket hat", "A showerproof bucket hat in waxed cotton that packs flat."),
         ("Bob en coton ciré", "Un bob déperlant en coton ciré qui se range à plat.")),
    _Row("tweed-flat-cap", "HAT-FLT", 4990, "grey brown", "M L",
         ("Tweed flat cap", "A herringbone tweed flat cap with a quilted lining."),
         ("Casquette plate en tweed", "Une casquette plate en tweed à chevrons avec doublure matelassée."),
         ("Schiebermütze aus Tweed", "Eine Schiebermütze aus Fischgrat-Tweed mit gestepptem Futter.")),
    _Row("sherpa-trapper-hat", "HAT-TRP", 5990, "brown black", "",
         ("Sherpa trapper hat", "A quilted trapper hat with sherpa-lined ear flaps for the coldest days."),
         ("Chapka doublée sherpa",
          "Une chapka matelassée avec oreillettes doublées de sherpa pour les grands froids.")),
    _Row("sport-sun-visor", "HAT-VSR", 1990, "white navy", "",
         ("Sport sun visor", "A lightweight visor with a sweat-wicking band for tennis and running."),
         ("Visière de sport",
          "Une visière légère avec bandeau anti-transpiration pour le tennis et la course."),
         ("Sport-Schirmvisier", "Ein leichtes Visier mit schweißableitendem Band für Tennis und Laufen.")),
    _Row("short-fisherman-beanie", "HAT-FSH", 2790, "orange navy green", "",
         ("Short fisherman beanie", "A shallow ribbed beanie in recycled wool that sits above the ears."),
         ("Bonnet court de marin",
          "Un bonnet court côtelé en laine recyclée qui s'arrête au-dessus des oreilles.")),
)

_ACCESSORIES = (
    _Row("lambswool-scarf", "ACC-SCF", 4990, "grey camel red", "",
         ("Lambswool scarf", "A long, soft scarf woven from Scottish lambswool."),
         ("Écharpe en laine d'agneau", "Une longue écharpe douce tissée en laine d'agneau écossaise."),
         ("Schal aus Lammwolle", "Ein langer, weicher Schal aus schottischer Lammwolle.")),
    _Row("full-grain-leather-belt", "ACC-BLT", 5490, "brown black", "85 95",
         ("Full-grain leather belt", "A full-grain leather belt with a solid brass buckle."),
         ("Ceinture en cuir", "Une ceinture en cuir pleine fleur avec boucle en laiton massif."),
         ("Ledergürtel", "Ein Gürtel aus Vollnarbenleder mit Schnalle aus massivem Messing.")),
    _Row("cashmere-lined-leather-gloves", "ACC-GLV", 6990, "black brown", "M L",
         ("Cashmere-lined leather gloves", "Lambskin gloves lined with cashmere for cold commutes."),
         ("Gants en cuir doublés cachemire",
          "Des gants en cuir d'agneau doublés de cachemire pour les trajets d'hiver.")),
    _Row("silk-pocket-square", "ACC-PSQ", 2990, "navy burgundy", "",
         ("Silk pocket square", "A hand-rolled silk pocket square with a small paisley print."),
         ("Pochette de costume en soie",
          "Une pochette en soie roulottée à la main, à petit motif cachemire.")),
    _Row("organic-cotton-socks-three-pack", "ACC-SCK", 1990, "black grey", "39-42 43-46",
         ("Organic cotton socks, pack of three",
          "Three pairs of cushioned everyday socks in organic cotton."),
         ("Chaussettes en coton bio, lot de trois",
          "Trois paires de chaussettes confortables du quotidien en coton biologique."),
         ("Socken aus Bio-Baumwolle im Dreierpack",
          "Drei Paar gepolsterte Alltagssocken aus Bio-Baumwolle.")),
    _Row("leather-bifold-wallet", "ACC-WLT", 5990, "brown black tan", "",
         ("Leather bifold wallet", "A slim bifold wallet in vegetable-tanned leather with six card slots."),
         ("Portefeuille en cuir",
          "Un portefeuille fin en cuir tanné végétal avec six emplacements pour cartes.")),
    _Row("polarised-sunglasses", "ACC-SUN", 8990, "black tortoise", "",
         ("Polarised sunglasses", "Acetate sunglasses with polarised lenses and full UV protection."),
         ("Lunettes de soleil polarisées",
          "Des lunettes de soleil en acétate aux verres polarisés, avec protection UV totale."),
         ("Polarisierte Sonnenbrille",
          "Eine Sonnenbrille aus Acetat mit polarisierten Gläsern und vollem UV-Schutz.")),
    _Row("touchscreen-wool-gloves", "ACC-TCH", 2490, "grey navy", "S M L",
         ("Touchscreen wool gloves", "Knitted wool gloves with conductive fingertips for using your phone."),
         ("Gants tactiles en laine",
          "Des gants en laine tricotée avec bouts des doigts conductifs pour utiliser le téléphone.")),
    _Row("printed-silk-scarf", "ACC-SLK", 6990, "blue pink", "",
         ("Printed silk scarf", "A square silk twill scarf printed with a botanical pattern."),
         ("Foulard en soie imprimé", "Un carré en twill de soie imprimé d'un motif botanique."),
         ("Bedrucktes Seidentuch", "Ein quadratisches Tuch aus Seidentwill mit botanischem Druck.")),
    _Row("compact-travel-umbrella", "ACC-UMB", 3990, "black navy", "",
         ("Compact travel umbrella", "A windproof folding umbrella that opens and closes with one button."),
         ("Parapluie pliant de voyage",
          "Un parapluie pliant résistant au vent qui s'ouvre et se ferme d'un seul bouton.")),
)

_JACKETS = (
    _Row("waterproof-rain-jacket", "JKT-RAN", 14900, "navy yellow", "S M L",
         ("Waterproof rain jacket", "A breathable three-layer shell that keeps out wind and rain."),
         ("Veste de pluie imperméable",
          "Une veste trois couches respirante qui protège du vent et de la pluie."),
         ("Wasserdichte Regenjacke", "Eine atmungsaktive Dreilagenjacke, die Wind und Regen abhält.")),
    _Row("down-puffer-jacket", "JKT-PUF", 22900, "black olive", "M L XL",
         ("Down puffer jacket", "A warm quilted jacket filled with responsibly sourced goose down."),
         ("Doudoune en duvet", "Une veste matelassée chaude garnie de duvet d'oie d'origine responsable."),
         ("Daunenjacke", "Eine warme Steppjacke mit verantwortungsvoll gewonnenen Gänsedaunen.")),
    _Row("denim-trucker-jacket", "JKT-DNM", 8990, "blue black", "S M L",
         ("Denim trucker jacket", "A rigid selvedge denim jacket that fades beautifully with wear."),
         ("Veste en jean", "Une veste en denim selvedge brut qui se patine joliment avec le temps.")),
    _Row("wool-cashmere-overcoat", "JKT-OVC", 27900, "charcoal camel", "M L",
         ("Wool and cashmere overcoat", "A tailored knee-length overcoat in Italian wool and cashmere."),
         ("Manteau en laine et cachemire",
          "Un manteau ajusté à hauteur de genou en laine et cachemire italiens."),
         ("Mantel aus Wolle und Kaschmir",
          "Ein taillierter, knielanger Mantel aus italienischer Wolle und Kaschmir.")),
    _Row("waxed-cotton-field-jacket", "JKT-WAX", 19900, "olive brown", "S M L",
         ("Waxed cotton field jacket", "A four-pocket field jacket in waxed cotton with a corduroy collar."),
         ("Veste de chasse en coton ciré",
          "Une veste à quatre poches en coton ciré avec col en velours côtelé.")),
    _Row("linen-chore-jacket", "JKT-CHR", 9990, "sand navy", "M L",
         ("Linen chore jacket", "An unlined workwear jacket in washed linen for spring and summer."),
         ("Veste de travail en lin",
          "Une veste de travail non doublée en lin lavé pour le printemps et l'été."),
         ("Arbeitsjacke aus Leinen",
          "Eine ungefütterte Workwear-Jacke aus gewaschenem Leinen für Frühling und Sommer.")),
    _Row("softshell-hiking-jacket", "JKT-SFT", 11900, "grey red", "S M L",
         ("Softshell hiking jacket", "A stretchy, wind-resistant softshell for fast hikes and climbs."),
         ("Veste softshell de randonnée",
          "Une veste softshell extensible et coupe-vent pour la randonnée et l'escalade.")),
    _Row("quilted-liner-jacket", "JKT-QLT", 7990, "black navy", "M L",
         ("Quilted liner jacket", "A light diamond-quilted jacket to wear alone or under a shell."),
         ("Veste matelassée légère",
          "Une veste légère à surpiqûres losanges, à porter seule ou sous une coque."),
         ("Leichte Steppjacke",
          "Eine leichte Jacke mit Rautensteppung, allein oder unter einer Wetterjacke.")),
    _Row("leather-biker-jacket", "JKT-BKR", 34900, "black", "S M L",
         ("Leather biker jacket", "A classic asymmetric-zip biker jacket in supple lambskin."),
         ("Blouson de motard en cuir",
          "Un blouson de motard classique à zip asymétrique en cuir d'agneau souple.")),
    _Row("wool-pea-coat", "JKT-PEA", 21900, "navy", "S M L XL",
         ("Wool pea coat", "A double-breasted naval pea coat in heavy melton wool."),
         ("Caban en laine", "Un caban croisé d'inspiration marine en drap de laine épais."),
         ("Cabanjacke aus Wolle",
          "Eine zweireihige Cabanjacke im Marinestil aus schwerem Melton-Wollstoff.")),
)

_ON_SALE = (
    ("t-shirts", _T_SHIRTS),
    ("sweaters", _SWEATERS),
    ("shoes", _SHOES),
    ("bags", _BAGS),
    ("hats", _HATS),
    ("accessories", _ACCESSORIES),
    ("jackets", _JACKETS),
)

# Their words ("prototype", "solar", "heated", "vintage", "high-top") appear in no product on sale.
_UNLISTED = (
    (ProductStatus.DRAFT, "bags",
     _Row("prototype-solar-backpack", "BAG-SOL", 15900, "black grey", "",
          ("Prototype solar backpack",
           "A backpack with a built-in solar panel to charge a phone on the move."),
          ("Sac à dos solaire prototype",
           "Un sac à dos avec panneau solaire intégré pour recharger son téléphone en route."))),
    (ProductStatus.DRAFT, "accessories",
     _Row("heated-winter-gloves", "ACC-HTD", 8990, "black", "M L",
          ("Heated winter gloves", "Battery-heated gloves for cycling through the winter."),
          ("Gants chauffants d'hiver", "Des gants chauffés par batterie pour rouler à vélo tout l'hiver."))),
    (ProductStatus.ARCHIVED, "t-shirts",
     _Row("vintage-logo-tee-2019", "TEE-V19", 1990, "white black", "M L",
          ("Vintage logo tee 2019", "The anniversary tee of our 2019 collection, no longer made."),
          ("T-shirt logo vintage 2019",
           "Le T-shirt anniversaire de notre collection 2019, qui n'est plus fabriqué."))),
    (ProductStatus.ARCHIVED, "shoes",
     _Row("canvas-high-top-sneakers", "SHO-CNV", 5990, "", "40 41 42",
          ("Canvas high-top sneakers", "High-top canvas sneakers from a past season."),
          ("Baskets montantes en toile", "Des baskets montantes en toile d'une saison passée."))),
)
# fmt: on


def categories() -> list[Category]:
    return [
        Category(slug, {"en": en, "fr": fr, "de": de}, rank=10 * position)
        for position, (slug, en, fr, de) in enumerate(_CATEGORIES, start=1)
    ]


def products() -> list[Product]:
    """Products on sale first, ranked in table order within their category, then the hidden ones."""
    placed = [
        (ProductStatus.ACTIVE, category, 10 * position, row)
        for category, rows in _ON_SALE
        for position, row in enumerate(rows, start=1)
    ]
    placed += [(status, category, 0, row) for status, category, row in _UNLISTED]
    return [
        _product(f"prd-{number:04d}", status, category, rank, row)
        for number, (status, category, rank, row) in enumerate(placed, start=1)
    ]


def stock() -> list[tuple[str, str, int]]:
    """Receipts as (sku, location, quantity); a SKU of OUT_OF_STOCK_SKUS has none."""
    return [receipt for product in products() for v in product.variants for receipt in _receipts(v.sku)]


def _product(product_id: str, status: ProductStatus, category: str, rank: int, row: _Row) -> Product:
    texts = {"en": Text(*row.en), "fr": Text(*row.fr)}
    if row.de:
        texts["de"] = Text(*row.de)
    image_count = 1 + int(product_id[-4:]) % 3
    return Product(
        id=product_id,
        slug=row.slug,
        category=category,
        status=status,
        texts=texts,
        variants=_variants(row),
        images=tuple(f"{IMAGE_BASE_URL}/{row.slug}/{n}.jpg" for n in range(1, image_count + 1)),
        rank=rank,
    )


def _variants(row: _Row) -> tuple[Variant, ...]:
    variants = []
    for colour in row.colours.split() or [""]:
        for size in row.sizes.split() or [""]:
            attributes = {name: value for name, value in (("colour", colour), ("size", size)) if value}
            codes = [row.sku_prefix, _COLOUR_CODES[colour] if colour else "", size]
            sku = "-".join(code for code in codes if code)
            variants.append(Variant(sku, attributes, _prices(sku, row.eur_cents)))
    return tuple(variants)


def _prices(sku: str, eur_cents: int) -> dict[str, Money]:
    # About 1.10 dollars a euro, ending in .90; about 160 yen a euro, to the nearest 10 yen.
    prices = {
        "EUR": Money(eur_cents, "EUR"),
        "USD": Money((eur_cents * 11 + 500) // 1000 * 100 - 10, "USD"),
    }
    if sku not in NOT_SOLD_IN_JPY:
        prices["JPY"] = Money((eur_cents * 16 + 50) // 100 * 10, "JPY")
    return prices


def _receipts(sku: str) -> list[tuple[str, str, int]]:
    # A checksum of the SKU stands in for a seeded random generator: the same quantities on every run.
    digest = zlib.crc32(sku.encode())
    if sku in OUT_OF_STOCK_SKUS:
        return []
    if sku in LOW_STOCK_SKUS:
        units = 1 + digest % 5
        if units > 1 and (digest >> 4) % 2:
            return [(sku, PARIS, 1), (sku, BERLIN, units - 1)]
        return [(sku, PARIS, units)]
    # 10 to 80 units: held in Paris, in Berlin, or split between the two.
    single = 10 + (digest >> 4) % 71
    match digest % 3:
        case 0:
            return [(sku, PARIS, single)]
        case 1:
            return [(sku, BERLIN, single)]
        case _:
            return [(sku, PARIS, 5 + (digest >> 12) % 36), (sku, BERLIN, 5 + (digest >> 20) % 36)]
