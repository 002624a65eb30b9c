"""The measurement set for place names: places people name, the texts they send, and texts that
name no place but use place names as words.

PLACES is written by hand from knowledge of the UK, independently of data/places: towns,
cities, villages, council areas, counties old and new, regions and islands, with Welsh, Gaelic
and Irish names and the shorthand people text (co tyrone, Notts). TEMPLATES put each in the
kinds of sentences sent to a helpline. ORDINARY_TEXTS name no place: they use words that are
also place names (Hope, March, Reading, Deal, Street, Mold, Bath), first names that are towns
(Barry, Douglas, Stanley), texting shorthand shaped like a postcode district (m8, b4) and
numbers. tests/test_places.py holds the router to them; `python -m bench.places` measures the
rules' thresholds against them.
"""

from __future__ import annotations

E, W, S, N = "england", "wales", "scotland", "northern-ireland"

_PLACES = {
    E: """London|Manchester|Birmingham|Leeds|Liverpool|Sheffield|Bristol|Newcastle|Nottingham|Leicester|
        Coventry|Bradford|Stoke-on-Trent|Wolverhampton|Plymouth|Southampton|Portsmouth|Derby|Norwich|
        Hull|Sunderland|Brighton|Middlesbrough|Blackpool|Bolton|Huddersfield|Swindon|Milton Keynes|
        Northampton|Luton|Peterborough|Ipswich|Oxford|Cambridge|Exeter|Gloucester|Cheltenham|Worcester|
        Hereford|Shrewsbury|Telford|Chester|Crewe|Warrington|Wigan|St Helens|Preston|Lancaster|
        Carlisle|Kendal|Barrow-in-Furness|Durham|Darlington|Hartlepool|Gateshead|South Shields|York|
        Harrogate|Scarborough|Wakefield|Doncaster|Rotherham|Barnsley|Grimsby|Scunthorpe|Lincoln|
        Boston|Skegness|Mansfield|Chesterfield|Burton upon Trent|Stafford|Walsall|Dudley|
        West Bromwich|Solihull|Redditch|Kidderminster|Bath|Taunton|Yeovil|Weston-super-Mare|
        Bournemouth|Poole|Salisbury|Winchester|Basingstoke|Reading|Slough|Guildford|Woking|Crawley|
        Eastbourne|Hastings|Maidstone|Canterbury|Margate|Dover|Folkestone|Chelmsford|Colchester|
        Southend-on-Sea|Basildon|Harlow|Stevenage|Watford|St Albans|Bedford|High Wycombe|Aylesbury|
        Truro|Penzance|Newquay|Torquay|Barnstaple|Croydon|Hackney|Tower Hamlets|Lewisham|Enfield|
        Ilford|Romford|Brixton|Peckham|Stockport|Oldham|Rochdale|Salford|Blackburn|Burnley|Wirral|
        Birkenhead|Southport|Bury|Accrington|Kings Lynn|Great Yarmouth|Lowestoft|Bury St Edmunds|
        Keswick|Whitby|Skipton|Penrith|Hexham|Morpeth|Ashington|Blyth|Stratford-upon-Avon|Warwick|
        Rugby|Nuneaton|Loughborough|Hinckley|Kettering|Corby|Wellingborough|Newbury|Andover|
        Isle of Wight|Cornwall|Devon|Kent|Yorkshire|West Yorkshire|South Yorkshire|Lancashire|Essex|
        Norfolk|Suffolk|Surrey|Sussex|East Sussex|Hampshire|Dorset|Somerset|Wiltshire|
        Gloucestershire|Cumbria|Northumberland|County Durham|Merseyside|Greater Manchester|
        West Midlands|Notts|Lincolnshire|Herts|Derbyshire|Staffordshire|Shropshire|Cheshire|
        Lake District|Cotswolds|East Anglia|Tyneside|Teesside|Black Country|Isles of Scilly""",
    W: """Cardiff|Swansea|Newport Gwent|Wrexham|Barry|Neath|Port Talbot|Bridgend|Cwmbran|Llanelli|
        Merthyr Tydfil|Caerphilly|Pontypridd|Aberdare|Rhyl|Prestatyn|Colwyn Bay|Llandudno|Conwy|
        Bangor Gwynedd|Caernarfon|Holyhead|Aberystwyth|Carmarthen|Haverfordwest|Pembroke|Tenby|
        Milford Haven|Fishguard|Cardigan|Lampeter|Brecon|Abergavenny|Monmouth|Chepstow|Ebbw Vale|
        Tredegar|Pontypool|Blackwood|Ystrad Mynach|Maesteg|Porthcawl|Mold|Flint|Buckley|Denbigh|
        Ruthin|Llangollen|Welshpool|Newtown|Llandrindod Wells|Machynlleth|Dolgellau|Bala|
        Pwllheli|Porthmadog|Blaenau Ffestiniog|Ammanford|Gorseinon|Treorchy|Tonypandy|
        Caerdydd|Abertawe|Casnewydd|Wrecsam|Caerfyrddin|Aberteifi|Pen-y-bont ar Ogwr|
        Anglesey|Ynys Mon|Gwynedd|Powys|Ceredigion|Pembrokeshire|Carmarthenshire|Flintshire|
        Denbighshire|Monmouthshire|Rhondda|Rhondda Cynon Taf|Vale of Glamorgan|Torfaen|
        Blaenau Gwent|Neath Port Talbot|Gwent|Clwyd|Dyfed|Glamorgan|Gower|Snowdonia|Eryri|the Valleys|
        North Wales|South Wales|Mid Wales|West Wales|Deeside""",
    S: """Glasgow|Edinburgh|Aberdeen|Dundee|Inverness|Perth|Stirling|Falkirk|Paisley|Kilmarnock|Ayr|
        Irvine|Greenock|Motherwell|Hamilton|East Kilbride|Cumbernauld|Livingston|Dunfermline|
        Kirkcaldy|Glenrothes|St Andrews|Arbroath|Montrose|Forfar|Elgin|Nairn|Fort William|Oban|
        Dumfries|Stranraer|Galashiels|Hawick|Peebles|Kelso|Coatbridge|Airdrie|Clydebank|Dumbarton|
        Helensburgh|Largs|Troon|Prestwick|Cumnock|Wishaw|Bathgate|Linlithgow|Musselburgh|
        Dalkeith|Penicuik|Alloa|Crieff|Pitlochry|Aviemore|Thurso|Wick|Dingwall|Portree|Stornoway|
        Lerwick|Kirkwall|Campbeltown|Rothesay|Peterhead|Fraserburgh|Stonehaven|Inverurie|Buckie|
        Dun Eideann|Glaschu|Inbhir Nis|Obar Dheathain|Steornabhagh|
        Fife|Kingdom of Fife|Lanarkshire|North Lanarkshire|South Lanarkshire|Ayrshire|
        East Ayrshire|Renfrewshire|Aberdeenshire|Angus|Moray|Perthshire|West Lothian|Midlothian|
        East Lothian|Dumfries and Galloway|Scottish Borders|the Borders|Argyll|Argyll and Bute|
        Highlands|the Highlands|Highland|Clackmannanshire|Stirlingshire|Inverclyde|Caithness|
        Sutherland|Shetland|Orkney|Skye|Isle of Skye|Isle of Lewis|Harris|Islay|Arran|Mull|
        Outer Hebrides|Western Isles|Hebrides|Lothian|Strathclyde|Tayside|Grampian""",
    N: """Belfast|Derry|Londonderry|Lisburn|Newry|Armagh|Omagh|Enniskillen|Coleraine|Ballymena|
        Antrim|Larne|Carrickfergus|Newtownabbey|Holywood|Newtownards|Comber|Downpatrick|Banbridge|
        Craigavon|Portadown|Lurgan|Dungannon|Cookstown|Magherafelt|Strabane|Limavady|Ballymoney|
        Portrush|Portstewart|Ballycastle|Ballyclare|Dromore|Kilkeel|Warrenpoint|Crossmaglen|
        Dungiven|Castlederg|Carryduff|Ballynahinch|Donaghadee|Glengormley|Andersonstown|
        Beal Feirste|Doire|
        County Tyrone|Co Tyrone|Tyrone|County Antrim|Co Antrim|County Down|Co Down|County Armagh|
        Co Armagh|County Fermanagh|Co Fermanagh|Fermanagh|County Londonderry|County Derry|Co Derry|
        Ulster|Causeway Coast|Mid Ulster|Fermanagh and Omagh|Derry and Strabane|
        Armagh City Banbridge and Craigavon|Mid and East Antrim|Antrim and Newtownabbey|
        Newry Mourne and Down|Lisburn and Castlereagh|Rathlin Island""",
}
PLACES: list[tuple[str, str]] = [
    (place.strip(), nation) for nation, names in _PLACES.items() for place in names.split("|")
]

# Names held by two nations, and how a text says which.
AMBIGUOUS: list[tuple[str, set[str]]] = [
    ("Newport", {E, W}),
    ("Bangor", {W, N}),
    ("Newcastle", {E, N}),
    ("I'm in Newport", {E, W}),
    ("im in bangor pls help", {W, N}),
]
SAID_WHICH: list[tuple[str, str]] = [
    ("Newport, South Wales", W),
    ("Newport Gwent", W),
    ("I live in Newport in Shropshire", E),
    ("newport isle of wight", E),
    ("Newport, Pembrokeshire", W),
    ("Bangor, County Down", N),
    ("bangor co down", N),
    ("Bangor in north wales", W),
    ("Bangor Gwynedd", W),
    ("Newcastle upon Tyne", E),
    ("newcastle co down", N),
    ("Newport NP20", W),
    ("Bangor BT20", N),
]

# How people put a place in a text to a helpline. {p} is the place as written in PLACES.
TEMPLATES = [
    "{p}",
    "{p}.",
    "I'm in {p}",
    "im in {p} pls help",
    "I live in {p}",
    "Hi, I live near {p} and I need to talk to someone",
    "help me im in {p}!!!",
    "I'm from {p}, can you help",
    "staying at my sisters in {p}, he doesnt know where I am",
    "We moved to {p} last year and I don't know anyone",
    "I am in {p} right now and scared",
    "who do I call in {p}",
    "live just outside {p}",
    "need help in {p} please",
    "My daughter lives in {p}, her boyfriend is hurting her. Who can she call?",
    "hello im in {p} area",
    "{p} area",
    "is there someone near {p} I can talk to",
    "{p} - need a number",
    "Based in {p}. Need advice",
    "{p} please help me",
    "help. {p}. he's back",
]


def place_texts() -> list[tuple[str, str]]:
    """Every place in several templates (a different few for each place), and in upper and lower
    case: about 1,000 texts."""
    texts = []
    for n, (place, nation) in enumerate(PLACES):
        for k in range(3):
            template = TEMPLATES[(n * 7 + k * 5) % len(TEMPLATES)]
            written = place.lower() if k == 1 else place.upper() if (n + k) % 11 == 0 else place
            texts.append((template.format(p=written), nation))
    return texts


# Texts that name no place, and must get the menu (or a keyword's line) and never a region's.
ORDINARY_TEXTS = [
    # words that are also towns
    "I live in hope that he will change",
    "hope you can help me",
    "Hope",
    "there is no hope",
    "I'm losing hope",
    "In March he hit me for the first time",
    "it started in march",
    "from March to May he kept me locked in",
    "March",
    "I was reading about coercive control",
    "reading this makes me cry",
    "im in reading group right now cant talk",
    "I can't deal with this anymore",
    "deal with it he says",
    "it's a big deal",
    "he threw me out on the street",
    "I'm on the street with my kids",
    "the street is not safe",
    "there's mold in the flat and he won't let me fix it",
    "black mold everywhere",
    "I'm in the bath hiding",
    "he locked me in the bath room",
    "I'm in church",
    "we met at church",
    "I'm in over my head",
    "it's over",
    "is it worth it",
    "please send me the number",
    "send help",
    "he left a mark on my arm",
    "I have a mark on my face",
    "there's a box of my things",
    "I hit a wall",
    "he punched the wall",
    "he keeps an eye on my phone",
    "keep an eye out",
    "sale on at the shop so I went out",
    "he said he would break every bone",
    "on the hill behind the house",
    "I'm at the bridge",
    "we are in a battle over the kids",
    "he was arrested, rock bottom",
    "I feel like stone",
    "he's in the stock room at work",
    "I broke down in the ward",
    "It's the law",
    "I want to know the law on this",
    "we live by the sea",
    "I'm at the hospital",
    "I'm in the car",
    "in the kitchen now he's asleep",
    "in bed can't talk",
    "near the school",
    "outside the shop",
    "I'm in a bad way",
    "im in trouble",
    "in the middle of the night he comes home drunk",
    "at my mums",
    "staying with a friend",
    "I'm from a small town",
    "I moved to a new flat",
    "we live in a village",
    "in the city centre",
    "in the park",
    "near the station",
    "I'm at work",
    "he's in the pub",
    "in the garden",
    "I'm in the west end of the house",
    "the valley where we walk the dog",
    "he said I'm worth nothing",
    "he keeps his guns in a safe",
    "we had a sandwich and he threw it at me",
    "the ash from his cigarette",
    "heather and bracken in the garden",
    "I've lost my purse and my ID",
    "he took the car keys",
    "Rugby is on so he's drinking",
    "he plays rugby and comes home angry",
    "settle down he says",
    "the dust will settle",
    "I'll settle for anything",
    "healing takes time",
    "he went to the pool",
    "it's cooling down outside",
    "the grain of truth",
    "a fleet of police cars",
    "I'm on the mend",
    "we're on the ford in the lane",
    # first names that are towns
    "my husband Barry hits me",
    "Barry",
    "it's Barry, my ex",
    "from barry",
    "I got a text from barry",
    "Douglas won't let me leave",
    "my son Stanley is scared",
    "Keith",
    "Keith is my partner and he hurts me",
    "Logan took my phone",
    "Ashley is my girlfriend and she hits me",
    "shirley my neighbour heard it",
    "Leslie said I should text",
    "kerry told me about you",
    "my friend Heather",
    "Nelson is my dog",
    "Arnold my stepdad",
    "Bradley hit me",
    "brandon is asleep",
    "I'm Hamilton's mum",
    "my name is Sandy",
    "Martin said he'd kill me",
    "Lee is outside",
    "Ross keeps calling",
    "Angus my husband",
    "Lincoln and Boston are my kids' names",
    "my partner Dale",
    "Bryn is my brother",
    "this is Kerry",
    "Flint, my ex, is outside",
    # shorthand shaped like a postcode district, and numbers
    "m8 can u help",
    "b4 he gets home can u call",
    "sorry l8 reply",
    "w8 till he's gone",
    "ne1 there",
    "thanks m8",
    "I have 2 kids",
    "he hit me 3 times",
    "I'm 16",
    "24 hours a day?",
    "can you call me at 5",
    "1 more thing",
    "my house is number 4",
    "on the M6",
    # words that are near misses of nothing in particular
    "help",
    "please help me",
    "I need someone to talk to",
    "he hits me",
    "I am scared",
    "is this confidential",
    "what time do you open",
    "can I text instead of calling",
    "my ex is stalking me",
    "my partner checks my phone",
    "I don't know what to do",
    "he says he will kill me if I leave",
    "I think I'm being abused",
    "can you help me get out",
    "I need a refuge",
    "does he have to know",
    "I'm a man and my wife hits me",
    "my mum is being abused by my dad",
    "worried about my friend",
    "ok",
    "thank you",
    "yes",
    "no",
    "hello?",
    "are you there",
    "can you ring me back later when he's at work",
    "he took my bank card",
    "he won't let me see my friends",
    "I have nowhere to go",
    "we have a baby",
    "I'm pregnant and he pushed me",
    "he threatened the kids",
    "I've left but he keeps turning up",
    "police didn't help",
    "is there a court order I can get",
    "what is a non molestation order",
    "can I bring my dog to a refuge",
    "I'm deaf, can I text",
    "my english is not good",
    "he's coming back soon",
    "delete this",
    "don't reply",
    "sorry wrong number",
    "hi",
    "HELP ME",
    "I'm on a train",
    "at the shops",
    "at the doctors",
    "at school",
    "down the road",
    "over the road",
    "up north",
    "down south",
    "in the north",
    "back home",
    "abroad",
    "on holiday",
]

# What callers say when asked where they are, as Twilio's speech recognition writes it.
SPOKEN: list[tuple[str, str]] = [
    ("Glasgow.", S), ("I'm in Glasgow.", S), ("Edinburgh.", S), ("Aberdeen", S), ("Dundee.", S),
    ("Inverness.", S), ("Fife.", S), ("I live in Fife.", S), ("Paisley.", S), ("Stirling.", S),
    ("The Highlands.", S), ("Shetland.", S), ("Orkney.", S), ("Isle of Skye.", S), ("Perth.", S),
    ("Kilmarnock.", S), ("I'm in Falkirk.", S), ("Livingston.", S), ("Lanarkshire.", S),
    ("Ayrshire.", S), ("Dumfries.", S), ("The Borders.", S), ("Aberdeenshire.", S), ("Oban.", S),
    ("Cardiff.", W), ("I'm in Cardiff.", W), ("Swansea.", W), ("Wrexham.", W), ("Llanelli.", W),
    ("Merthyr Tydfil.", W), ("Aberystwyth.", W), ("Carmarthen.", W), ("Anglesey.", W),
    ("Caerphilly.", W), ("Pontypridd.", W), ("North Wales.", W), ("South Wales.", W),
    ("Pembrokeshire.", W), ("Powys.", W), ("Bridgend.", W), ("Neath.", W), ("Rhyl.", W),
    ("Llandudno.", W), ("Brecon.", W), ("Gwynedd.", W), ("I live in Swansea.", W),
    ("Belfast.", N), ("I'm in Belfast.", N), ("Derry.", N), ("Londonderry.", N), ("Lisburn.", N),
    ("Newry.", N), ("County Tyrone.", N), ("Tyrone.", N), ("County Antrim.", N), ("County Down.", N),
    ("Armagh.", N), ("Omagh.", N), ("Enniskillen.", N), ("Fermanagh.", N), ("Ballymena.", N),
    ("Coleraine.", N), ("I live in Lisburn.", N), ("Portadown.", N),
    ("London.", E), ("I'm in London.", E), ("Manchester.", E), ("Birmingham.", E), ("Leeds.", E),
    ("Liverpool.", E), ("Bristol.", E), ("Sheffield.", E), ("Newcastle upon Tyne.", E),
    ("Nottingham.", E), ("Cornwall.", E), ("Kent.", E), ("Yorkshire.", E), ("West Yorkshire.", E),
    ("Essex.", E), ("Devon.", E), ("Norfolk.", E), ("Plymouth.", E), ("Leicester.", E),
    ("Coventry.", E), ("I live in Leeds.", E), ("Brighton.", E), ("Southampton.", E), ("Hull.", E),
    ("Reading.", E), ("I live in Reading.", E), ("Oxford.", E), ("Cambridge.", E),
    ("Lancashire.", E), ("Cumbria.", E),
]  # fmt: skip
SPOKEN_AMBIGUOUS = ["Newport.", "Bangor.", "I'm in Newport."]
# Spoken postcodes are ignored: a misheard letter names another district.
# (A lone 1 to 5 said is a menu key, as before: these have none.)
SPOKEN_POSTCODES = ["C F 10.", "CF10 1AA.", "E H 7.", "BT7 1NN.", "G 7 6 A A."]

# Places as people mistype them. A slip is forgiven only in a long name (8 to 13 letters) that is
# a place wherever written and that no common English word is a slip of; the rest get the menu.
SLIPPED: list[tuple[str, str | None]] = [
    ("birmingam please", E), ("Aberystwth", W), ("scunthrope", E), ("Wolverhamton", E),
    ("Huddersfeild", E), ("Peterbrough", E), ("im in Nottinghm", E), ("Southamton", E),
    ("live in Sheffeild", E), ("Portsmoth", E), ("Doncaser", E), ("Bournemoth", E),
    ("Carmathen", W), ("Pontypirdd", W), ("Caernarfn", W), ("Haverforwest", W),
    ("Kilmarnok", S), ("Dunfermlin", S), ("Stornowy", S), ("Motherwel", S),
    ("Enniskilen", N), ("Ballymeena", N), ("Portadwn", N), ("Colerain", N), ("Newtonards", N),
    # too short to forgive, or a slip away from an English word: the menu
    ("Glasgw", None), ("Cardif", None), ("Belfst", None), ("brighten up", None),
]  # fmt: skip
