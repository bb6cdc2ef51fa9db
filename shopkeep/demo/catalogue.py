"""What the demo shop sells and on what terms: products and prices, shipping, sale windows, discount codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: int  # minor units
    weight: int  # how often it is bought, relative
    gift: bool = False


CATALOGUE: tuple[Product, ...] = (
    Product("TEA-EB-100", "English Breakfast, 100 g", 590, 30),
    Product("TEA-EB-250", "English Breakfast, 250 g", 1290, 14),
    Product("TEA-EG-100", "Earl Grey Classic, 100 g", 650, 28),
    Product("TEA-EG-250", "Earl Grey Classic, 250 g", 1450, 12),
    Product("TEA-LG-100", "Lady Grey, 100 g", 690, 10),
    Product("TEA-AS-100", "Assam Harmutty TGFOP, 100 g", 790, 12),
    Product("TEA-DJ-100", "Darjeeling First Flush, 100 g", 1490, 8),
    Product("TEA-DJ-050", "Darjeeling Second Flush, 50 g", 990, 7),
    Product("TEA-CY-100", "Ceylon Uva, 100 g", 690, 10),
    Product("TEA-LS-100", "Lapsang Souchong, 100 g", 850, 6),
    Product("TEA-YN-100", "Yunnan Golden Buds, 100 g", 1290, 6),
    Product("TEA-SE-100", "Sencha Fukamushi, 100 g", 1190, 11),
    Product("TEA-GM-100", "Genmaicha, 100 g", 790, 8),
    Product("TEA-MT-030", "Ceremonial Matcha, 30 g", 2290, 9),
    Product("TEA-JS-100", "Jasmine Pearls, 100 g", 1690, 9),
    Product("TEA-LJ-050", "Long Jing Dragon Well, 50 g", 1590, 5),
    Product("TEA-GP-100", "Gunpowder Green, 100 g", 550, 7),
    Product("TEA-TK-100", "Tie Guan Yin Oolong, 100 g", 1390, 8),
    Product("TEA-MO-100", "Milk Oolong, 100 g", 1190, 9),
    Product("TEA-DH-050", "Da Hong Pao, 50 g", 1890, 4),
    Product("TEA-PU-100", "Shou Pu-erh, 100 g", 1090, 6),
    Product("TEA-PU-357", "Pu-erh Cake 2018, 357 g", 4900, 2),
    Product("TEA-WP-050", "White Peony, 50 g", 990, 6),
    Product("TEA-SN-050", "Silver Needle, 50 g", 1990, 3),
    Product("TEA-RB-100", "Rooibos Vanilla, 100 g", 590, 12),
    Product("TEA-CH-100", "Chamomile Flowers, 100 g", 490, 11),
    Product("TEA-PM-100", "Peppermint Leaf, 100 g", 450, 12),
    Product("TEA-HB-100", "Hibiscus & Berries, 100 g", 550, 9),
    Product("TEA-CC-100", "Masala Chai, 100 g", 690, 11),
    Product("TEA-IT-100", "Ivan-chai Fermented Willowherb, 100 g", 790, 6),
    Product("COF-HB-250", "House Blend Beans, 250 g", 890, 26),
    Product("COF-HB-1KG", "House Blend Beans, 1 kg", 2990, 8),
    Product("COF-ET-250", "Ethiopia Yirgacheffe, 250 g", 1150, 14),
    Product("COF-CO-250", "Colombia Huila, 250 g", 1050, 13),
    Product("COF-BR-250", "Brazil Cerrado, 250 g", 950, 12),
    Product("COF-KE-250", "Kenya AA, 250 g", 1290, 8),
    Product("COF-GU-250", "Guatemala Antigua, 250 g", 1090, 7),
    Product("COF-DC-250", "Decaf Colombia, 250 g", 990, 7),
    Product("COF-ES-250", "Espresso Roast, 250 g", 950, 15),
    Product("COF-GR-250", "House Blend Ground, 250 g", 890, 10),
    Product("ACC-INF-01", "Stainless Tea Infuser", 450, 6),
    Product("ACC-TPT-06", "Glass Teapot 600 ml", 2490, 3),
    Product("ACC-KYU-03", "Kyusu Teapot 300 ml", 3900, 2),
    Product("ACC-CUP-02", "Double-Wall Glasses, set of 2", 1890, 3),
    Product("ACC-CHS-01", "Matcha Whisk (Chasen)", 1490, 3),
    Product("ACC-FRP-06", "French Press 600 ml", 2450, 2),
    Product("ACC-GRD-01", "Hand Coffee Grinder", 4900, 1),
    Product("ACC-FLT-100", "Paper Filters V60, 100 pcs", 590, 4),
    Product("ACC-CAD-01", "Tin Caddy 200 g", 690, 4),
    Product("GFT-SAM-06", "Tea Tasting Set, 6 teas", 2490, 4, gift=True),
    Product("GFT-XMS-01", "Winter Spice Gift Box", 3490, 3, gift=True),
    Product("GFT-COF-03", "Coffee Discovery Box, 3 x 250 g", 3190, 3, gift=True),
    Product("GFT-CARD-25", "Gift Card 25.00", 2500, 2, gift=True),
    Product("GFT-HMP-01", "Tea Lover's Hamper", 5900, 1, gift=True),
    Product("FD-BSC-200", "Shortbread Biscuits, 200 g", 390, 9),
    Product("FD-HNY-250", "Wildflower Honey, 250 g", 690, 5),
)
GIFTS = tuple(p for p in CATALOGUE if p.gift)
PREMIUM = tuple(p for p in CATALOGUE if p.price >= 1390)

FREE_SHIPPING_FROM = 4000
SHIPPING_FEE = 395

# Sale windows (month, first day, last day, code, percent) a discount hunter waits for.
SALES = (
    (1, 2, 15, "JANUARY15", 15),
    (3, 18, 31, "SPRING10", 10),
    (7, 1, 14, "SUMMER10", 10),
    (11, 20, 30, "BLACKFRIDAY20", 20),
)
WELCOME_CODE = ("WELCOME10", 10)
THANKS_CODE = ("THANKYOU5", 5)
