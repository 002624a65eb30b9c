"""A held-out set of location pins: towns and villages of each nation, border crossings, the sea,
abroad and broken values, each with what a right answer may give: nations' lines, or (with no
line) the region the reply says it has no local line for.

Coordinates are the places' own centres as published (rounded to about 100 m), not points of
the location table: most villages here have fewer than 500 people and are not in it at all.

    python -m tests.location_pins    prints how many of each kind come out right
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

E, W, S, N = "england", "wales", "scotland", "northern-ireland"
IM, CI, X = "isle-of-man", "channel-islands", "abroad"


@dataclass(frozen=True)
class Pin:
    name: str
    latitude: float
    longitude: float
    kind: str  # inside, border, sea, abroad
    within: frozenset[str]  # every line (or region without one) a right answer may give
    needs: frozenset[str]  # lines a right answer must give


def _inside(nation: str, rows: str) -> Iterator[Pin]:
    for row in rows.strip().splitlines():
        name, lat, lon = (part.strip() for part in row.split(","))
        yield Pin(name, float(lat), float(lon), f"inside {nation}", frozenset({nation}), frozenset({nation}))


ENGLAND = """
Penzance, 50.118, -5.537
St Ives, 50.211, -5.480
Hugh Town (Scilly), 49.914, -6.315
Bude, 50.829, -4.544
Lynton, 51.230, -3.834
Dulverton, 51.040, -3.550
Exeter, 50.726, -3.527
Dartmouth, 50.351, -3.579
Bridport, 50.733, -2.758
Shaftesbury, 51.005, -2.197
Salisbury, 51.069, -1.795
Winchester, 51.063, -1.308
Newport (Isle of Wight), 50.701, -1.289
Brighton, 50.822, -0.137
Hastings, 50.856, 0.573
Dover, 51.127, 1.313
Margate, 51.389, 1.386
Maidstone, 51.272, 0.522
Colchester, 51.896, 0.892
Southwold, 52.327, 1.680
Lowestoft, 52.481, 1.753
Cromer, 52.931, 1.302
King's Lynn, 52.754, 0.395
Cambridge, 52.205, 0.119
Oxford, 51.752, -1.258
Cheltenham, 51.900, -2.078
Bath, 51.381, -2.359
Bristol, 51.454, -2.588
Worcester, 52.192, -2.220
Birmingham, 52.486, -1.890
Leicester, 52.637, -1.140
Lincoln, 53.230, -0.540
Skegness, 53.144, 0.336
Hull, 53.745, -0.336
Whitby, 54.486, -0.615
York, 53.960, -1.080
Manchester, 53.480, -2.242
Liverpool, 53.408, -2.992
Blackpool, 53.817, -3.036
Kendal, 54.328, -2.746
Keswick, 54.601, -3.134
Whitehaven, 54.549, -3.587
Hexham, 54.971, -2.101
Durham, 54.776, -1.575
Alnwick, 55.413, -1.706
Bamburgh, 55.608, -1.710
Buxton, 53.259, -1.911
Ilfracombe, 51.208, -4.122
Dent, 54.278, -2.454
Allenheads, 54.806, -2.221
"""

WALES = """
Cardiff, 51.481, -3.179
Swansea, 51.621, -3.944
Newport, 51.588, -2.998
Tenby, 51.673, -4.705
St Davids, 51.882, -5.266
Fishguard, 51.993, -4.976
Cardigan, 52.083, -4.661
Aberystwyth, 52.415, -4.083
Machynlleth, 52.591, -3.851
Barmouth, 52.722, -4.054
Bala, 52.911, -3.598
Aberdaron, 52.805, -4.711
Caernarfon, 53.140, -4.274
Holyhead, 53.309, -4.633
Amlwch, 53.409, -4.343
Llandudno, 53.324, -3.828
Rhyl, 53.319, -3.491
Denbigh, 53.185, -3.417
Wrexham, 53.046, -2.993
Llangollen, 52.970, -3.171
Newtown, 52.513, -3.313
Llanidloes, 52.449, -3.540
Rhayader, 52.302, -3.510
Llandrindod Wells, 52.241, -3.378
Builth Wells, 52.150, -3.402
Brecon, 51.946, -3.391
Llandovery, 51.995, -3.801
Carmarthen, 51.856, -4.306
Lampeter, 52.112, -4.080
Tregaron, 52.219, -3.935
Merthyr Tydfil, 51.748, -3.378
Ebbw Vale, 51.777, -3.206
Bridgend, 51.504, -3.577
Barry, 51.399, -3.284
Haverfordwest, 51.801, -4.971
Blaenau Ffestiniog, 52.994, -3.939
Betws-y-Coed, 53.093, -3.800
Llanwrtyd Wells, 52.107, -3.637
Dinas Mawddwy, 52.720, -3.686
Llanfair Caereinion, 52.648, -3.328
"""

SCOTLAND = """
Edinburgh, 55.953, -3.188
Glasgow, 55.864, -4.252
Aberdeen, 57.149, -2.094
Dundee, 56.462, -2.971
Inverness, 57.478, -4.224
Perth, 56.396, -3.437
Stirling, 56.117, -3.936
Fort William, 56.820, -5.105
Oban, 56.415, -5.472
Mallaig, 57.004, -5.830
Portree, 57.412, -6.196
Stornoway, 58.209, -6.389
Tarbert (Harris), 57.898, -6.801
Castlebay, 56.955, -7.487
Lochmaddy, 57.597, -7.163
Kirkwall, 58.981, -2.960
Stromness, 58.964, -3.296
Lerwick, 60.155, -1.145
Baltasound, 60.758, -0.843
Thurso, 58.594, -3.523
Wick, 58.439, -3.093
Durness, 58.567, -4.747
Tongue, 58.478, -4.418
Lairg, 58.024, -4.400
Ullapool, 57.896, -5.160
Lochinver, 58.148, -5.244
Gairloch, 57.728, -5.697
Applecross, 57.433, -5.810
Aviemore, 57.195, -3.826
Braemar, 57.006, -3.398
Pitlochry, 56.704, -3.733
Tobermory, 56.623, -6.065
Campbeltown, 55.425, -5.605
Stranraer, 54.903, -5.024
Dumfries, 55.070, -3.605
Hawick, 55.423, -2.787
Ayr, 55.458, -4.629
St Andrews, 56.340, -2.796
Fraserburgh, 57.693, -2.005
Bowmore, 55.757, -6.288
Tomintoul, 57.252, -3.378
Kinloch Rannoch, 56.701, -4.186
Altnaharra, 58.280, -4.442
Scourie, 58.352, -5.156
Kirkcudbright, 54.837, -4.048
Moffat, 55.333, -3.441
Crianlarich, 56.391, -4.618
Dalwhinnie, 56.934, -4.243
Strontian, 56.696, -5.554
"""

NORTHERN_IRELAND = """
Belfast, 54.597, -5.930
Derry, 54.997, -7.309
Lisburn, 54.516, -6.058
Newry, 54.176, -6.337
Armagh, 54.350, -6.654
Enniskillen, 54.344, -7.639
Omagh, 54.598, -7.300
Dungannon, 54.503, -6.767
Cookstown, 54.643, -6.744
Magherafelt, 54.756, -6.607
Coleraine, 55.133, -6.668
Portrush, 55.204, -6.652
Ballycastle, 55.204, -6.243
Ballymena, 54.863, -6.276
Larne, 54.858, -5.823
Carrickfergus, 54.716, -5.806
Bangor, 54.660, -5.669
Downpatrick, 54.328, -5.716
Newcastle, 54.217, -5.889
Kilkeel, 54.063, -5.999
Banbridge, 54.349, -6.270
Portadown, 54.423, -6.444
Limavady, 55.052, -6.950
Ballymoney, 55.071, -6.510
Portaferry, 54.381, -5.549
Draperstown, 54.793, -6.785
Fivemiletown, 54.376, -7.310
Kesh, 54.527, -7.719
Gortin, 54.721, -7.237
Church Bay (Rathlin), 55.290, -6.200
"""

# Pins at a border: a right answer names the nations on either side and no other.
BORDERS = """
Chepstow, 51.642, -2.674, wales england
Tutshill, 51.651, -2.660, england wales
Monmouth, 51.811, -2.716, wales england
Grosmont, 51.915, -2.866, wales england
Hay-on-Wye, 52.075, -3.125, wales england
Kington, 52.204, -3.030, england wales
Presteigne, 52.273, -3.006, wales england
Knighton, 52.343, -3.049, wales england
Montgomery, 52.561, -3.148, wales england
Llanymynech, 52.780, -3.090, england wales
Chirk, 52.935, -3.055, wales england
Bangor-on-Dee, 52.995, -2.913, wales england
Saltney, 53.175, -2.940, wales england
Chester, 53.190, -2.891, england wales
Gretna, 54.995, -3.065, scotland england
Longtown, 55.008, -2.971, england scotland
Canonbie, 55.079, -2.948, scotland england
Newcastleton, 55.180, -2.815, scotland england
Kielder, 55.234, -2.585, england scotland
Carter Bar, 55.352, -2.478, england scotland
Kirk Yetholm, 55.545, -2.275, scotland england
Coldstream, 55.648, -2.251, scotland england
Cornhill-on-Tweed, 55.646, -2.219, england scotland
Norham, 55.720, -2.162, england scotland
Berwick-upon-Tweed, 55.771, -2.005, england scotland
Paxton, 55.761, -2.108, scotland england
Strabane, 54.827, -7.463, northern-ireland abroad
Lifford, 54.834, -7.480, abroad northern-ireland
Castlederg, 54.707, -7.593, northern-ireland abroad
Belleek, 54.477, -8.094, northern-ireland abroad
Pettigo, 54.548, -7.831, abroad northern-ireland
Belcoo, 54.298, -7.872, northern-ireland abroad
Blacklion, 54.291, -7.876, abroad northern-ireland
Newtownbutler, 54.186, -7.361, northern-ireland abroad
Clones, 54.180, -7.230, abroad northern-ireland
Rosslea, 54.241, -7.169, northern-ireland abroad
Aughnacloy, 54.414, -6.973, northern-ireland abroad
Middletown, 54.289, -6.851, northern-ireland abroad
Crossmaglen, 54.075, -6.609, northern-ireland abroad
Killeen crossing, 54.046, -6.366, northern-ireland abroad
Muff, 55.067, -7.271, abroad northern-ireland
"""

# Towns a few miles from a border: their own nation's line, and at most the neighbour's too.
NEAR_BORDERS = """
Hereford, 52.056, -2.716, england wales
Shrewsbury, 52.707, -2.754, england wales
Oswestry, 52.860, -3.054, england wales
Whitchurch (Shropshire), 52.969, -2.682, england wales
Ellesmere, 52.908, -2.894, england wales
Bishop's Castle, 52.494, -2.999, england wales
Ross-on-Wye, 51.914, -2.587, england wales
Wrexham, 53.046, -2.993, wales england
Mold, 53.167, -3.141, wales england
Flint, 53.245, -3.133, wales england
Connah's Quay, 53.218, -3.075, wales england
Buckley, 53.172, -3.086, wales england
Welshpool, 52.660, -3.147, wales england
Abergavenny, 51.824, -3.017, wales england
Usk, 51.703, -2.903, wales england
Caldicot, 51.591, -2.750, wales england
Crickhowell, 51.860, -3.137, wales england
Carlisle, 54.892, -2.932, england scotland
Brampton, 54.941, -2.733, england scotland
Bellingham, 55.144, -2.253, england scotland
Rothbury, 55.310, -1.910, england scotland
Annan, 54.988, -3.262, scotland england
Lockerbie, 55.121, -3.355, scotland england
Langholm, 55.151, -3.000, scotland england
Jedburgh, 55.478, -2.554, scotland england
Kelso, 55.598, -2.433, scotland england
Eyemouth, 55.870, -2.091, scotland england
Duns, 55.778, -2.343, scotland england
Lisnaskea, 54.253, -7.443, northern-ireland abroad
Irvinestown, 54.472, -7.633, northern-ireland abroad
Derrygonnelly, 54.427, -7.833, northern-ireland abroad
Garrison, 54.418, -8.083, northern-ireland abroad
Keady, 54.252, -6.700, northern-ireland abroad
Forkhill, 54.093, -6.449, northern-ireland abroad
Warrenpoint, 54.100, -6.250, northern-ireland abroad
"""

# Open sea, far from any coast: no nation's line is claimed.
SEA = """
Celtic Sea, 51.000, -7.000
North Sea off Yorkshire, 54.500, 1.000
North Sea off Fife, 56.300, 0.500
Atlantic west of Lewis, 58.200, -8.200
Atlantic south-west of Scilly, 49.300, -7.500
"""

# Between two coasts: the lines of either coast, or none; never another nation's.
CHANNELS = """
Irish Sea between Dublin and Anglesey, 53.500, -5.500, abroad wales
St George's Channel, 52.000, -5.900, abroad wales
English Channel mid-way, 50.100, -1.500, abroad england channel-islands
North Channel, 55.000, -5.500, northern-ireland scotland
Bristol Channel, 51.350, -3.600, wales england
Solway Firth, 54.850, -3.500, scotland england
"""

ABROAD = """
Dublin, 53.350, -6.260
Cork, 51.898, -8.471
Galway, 53.271, -9.057
Limerick, 52.668, -8.630
Sligo, 54.277, -8.476
Drogheda, 53.717, -6.350
Dundalk, 54.000, -6.405
Letterkenny, 54.950, -7.734
Calais, 50.951, 1.858
Boulogne-sur-Mer, 50.726, 1.614
Dunkirk, 51.034, 2.377
Cherbourg, 49.640, -1.616
Le Havre, 49.494, 0.108
Paris, 48.857, 2.352
Ostend, 51.216, 2.927
Amsterdam, 52.370, 4.895
Torshavn, 62.009, -6.772
Reykjavik, 64.146, -21.942
New York, 40.713, -74.006
Sydney, -33.868, 151.209
"""

ISLE_OF_MAN = """
Douglas, 54.150, -4.482
Ramsey, 54.322, -4.383
Peel, 54.221, -4.694
Castletown, 54.074, -4.654
Port Erin, 54.085, -4.750
"""

CHANNEL_ISLANDS = """
St Helier, 49.186, -2.107
Gorey, 49.199, -2.023
St Peter Port, 49.455, -2.536
St Anne (Alderney), 49.714, -2.208
Sark, 49.430, -2.360
"""


def _rows(text: str, kind: str, region: str) -> Iterator[Pin]:
    for row in text.strip().splitlines():
        name, lat, lon = (part.strip() for part in row.split(","))
        yield Pin(name, float(lat), float(lon), kind, frozenset({region}), frozenset({region}))


def _borders(text: str, kind: str) -> Iterator[Pin]:
    for row in text.strip().splitlines():
        name, lat, lon, sides = (part.strip() for part in row.split(","))
        on, *across = sides.split()
        # the line of the side the pin is on must be given (none abroad); one across may be
        needs = frozenset({on}) if kind != "channel" and on != X else frozenset()
        yield Pin(name, float(lat), float(lon), kind, frozenset({on, *across}), needs)


def pins() -> list[Pin]:
    return [
        *_inside(E, ENGLAND),
        *_inside(W, WALES),
        *_inside(S, SCOTLAND),
        *_inside(N, NORTHERN_IRELAND),
        *_borders(BORDERS, "border"),
        *_borders(NEAR_BORDERS, "near a border"),
        *_rows(SEA, "open sea", X),
        *_borders(CHANNELS, "channel"),
        *_rows(ABROAD, "abroad", X),
        *_rows(ISLE_OF_MAN, "Isle of Man", IM),
        *_rows(CHANNEL_ISLANDS, "Channel Islands", CI),
    ]


# Latitude and Longitude as they might arrive broken: each must get the menu, never a line.
BROKEN = [
    ("", ""),
    ("51.48", ""),
    ("", "-3.18"),
    ("abc", "def"),
    ("91", "0"),
    ("-90.5", "10"),
    ("51.48", "181"),
    ("51.48", "-180.01"),
    ("nan", "nan"),
    ("NaN", "-3.18"),
    ("inf", "-3.18"),
    ("51.48", "-Infinity"),
    ("1e1", "2"),
    ("5.148e1", "-3.18"),
    ("0", "0"),
    ("0.0", "-0.0"),
    ("51,48", "-3,18"),
    ("5_1.48", "-3.18"),
    ("0x33", "-3.18"),
    ("51.48; DROP TABLE", "-3.18"),
    ("51.48" * 10, "-3.18"),
    ("٥١.٤٨", "-3.18"),  # Arabic-Indic digits: float() reads them, WhatsApp never sends them
    ("５１.４８", "-3.18"),  # full-width digits
    ("--51.48", "-3.18"),
    (".", "."),
    ("+", "-"),
    ("51.48.1", "-3.18"),
    ("51.48\x00", "-3.18"),
    ("51.48 -3.18", ""),
]


NATIONS = (E, W, S, N)


def answer(latitude: str, longitude: str, services: tuple[str, ...] = NATIONS) -> frozenset[str]:
    """What a pin gets: the lines given, else the region said to have no local line, else the menu."""
    from helpline.location import match_pin
    from helpline.match import Intent

    match = match_pin(latitude, longitude, services)
    if match.intent is Intent.SERVICES:
        return frozenset(match.services)
    if match.intent is Intent.ELSEWHERE:
        return frozenset(p.key for p in match.places)
    return frozenset({match.intent.value})


def right(pin: Pin, found: frozenset[str]) -> bool:
    return bool(found) and pin.needs <= found <= pin.within


def main() -> int:
    totals: dict[str, list[int]] = {}
    wrong: list[str] = []
    for pin in pins():
        found = answer(str(pin.latitude), str(pin.longitude))
        ok = right(pin, found)
        tally = totals.setdefault(pin.kind, [0, 0, 0])
        tally[0] += 1
        tally[1] += ok
        tally[2] += len(found) > 1
        if not ok:
            wrong.append(f"  {pin.kind}: {pin.name}: {sorted(found)}, expected within {sorted(pin.within)}")
    broken_ok = sum(answer(lat, lon) == {"menu"} for lat, lon in BROKEN)
    print(f"{'kind':<22} {'pins':>5} {'right':>6} {'two lines':>12}")
    for kind, (count, good, two) in totals.items():
        print(f"{kind:<22} {count:>5} {good:>6} {two:>12}")
    print(f"{'broken values':<22} {len(BROKEN):>5} {broken_ok:>6}")
    print(*wrong, sep="\n")
    return 0 if not wrong and broken_ok == len(BROKEN) else 1


if __name__ == "__main__":
    raise SystemExit(main())
