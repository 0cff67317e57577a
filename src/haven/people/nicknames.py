"""Common English nicknames and short forms, each with the name it comes from.

Search treats a nickname and its full name as the same first name ("Bill" finds William,
"Kate" finds Catherine). Keep entries lower case, without accents. A nickname that belongs to
several names (Alex: Alexander, Alexandra) is listed with the one most often meant; the
scorer also compares the spelling, so the others are still found.
"""

from __future__ import annotations

NICKNAMES: dict[str, tuple[str, ...]] = {
    "abigail": ("abby", "abbie", "gail"),
    "alexander": ("alex", "alec", "sandy", "xander", "lex", "alexandre"),
    "alexandra": ("alexa", "lexi", "lexie", "sasha", "sandra"),
    "alfred": ("alf", "alfie", "fred"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony", "ant", "antony"),
    "arthur": ("art", "artie"),
    "barbara": ("barbie", "babs"),
    "benjamin": ("ben", "benny", "benji"),
    "bradley": ("brad",),
    "bridget": ("bridie", "biddy"),
    "callum": ("cal", "calum"),
    "catherine": (
        "kate",
        "katie",
        "cathy",
        "cath",
        "kath",
        "kathy",
        "katherine",
        "kathryn",
        "cate",
        "kay",
        "kit",
        "katy",
        "katey",
        "caitlin",
    ),
    "charles": ("charlie", "chas", "chuck", "chaz"),
    "charlotte": ("lottie", "charlie", "lotte"),
    "christina": ("tina", "chrissie", "christine", "kirsty", "kirstie"),
    "christopher": ("chris", "kit", "topher"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey", "davie", "dai"),
    "deborah": ("debbie", "debs", "deb", "debra"),
    "dominic": ("dom",),
    "dorothy": ("dot", "dolly", "dotty"),
    "edward": ("ed", "eddie", "ted", "teddy", "ned"),
    "eleanor": ("ellie", "nell", "nora", "elle", "elenor"),
    "elizabeth": (
        "liz",
        "lizzie",
        "beth",
        "betty",
        "bess",
        "libby",
        "eliza",
        "lisa",
        "elise",
        "betsy",
        "liza",
        "lily",
        "elsie",
    ),
    "emily": ("em", "emmy", "millie"),
    "emma": ("emmie",),
    "frances": ("fran", "frankie", "fanny"),
    "francis": ("frank", "frankie"),
    "frederick": ("fred", "freddie", "freddy"),
    "gabriel": ("gabe",),
    "gabriella": ("gabby", "gabbie", "ella", "gabrielle"),
    "geoffrey": ("geoff", "jeff", "jeffrey"),
    "george": ("georgie",),
    "georgina": ("georgie", "gina"),
    "gerald": ("gerry", "jerry"),
    "gregory": ("greg",),
    "harold": ("hal",),
    "harriet": ("hattie", "hatty"),
    "henry": ("harry", "hank", "hal"),
    "isabel": ("izzy", "izzie", "bella", "isabelle", "isabella", "issy", "belle"),
    "jacob": ("jake", "jay"),
    "james": ("jim", "jimmy", "jamie", "jimbo", "jem"),
    "jennifer": ("jen", "jenny", "jenna", "jennie"),
    "jessica": ("jess", "jessie", "jessy"),
    "john": ("jack", "johnny", "jonny", "jon", "johnnie"),
    "jonathan": ("jon", "jonny", "nathan", "jonty"),
    "joseph": ("joe", "joey", "jo"),
    "josephine": ("jo", "josie", "jojo"),
    "joshua": ("josh",),
    "katrina": ("trina",),
    "kenneth": ("ken", "kenny"),
    "lawrence": ("larry", "laurie", "laurence"),
    "leonard": ("len", "lenny", "leo"),
    "louise": ("lou", "lulu", "louisa"),
    "margaret": (
        "maggie",
        "meg",
        "peggy",
        "maisie",
        "madge",
        "marge",
        "margot",
        "molly",
        "greta",
        "rita",
        "daisy",
        "mags",
    ),
    "matilda": ("tilly", "tillie", "mattie"),
    "matthew": ("matt", "matty", "mat"),
    "michael": ("mike", "mick", "mickey", "mikey", "micky"),
    "mohammed": ("mohammad", "muhammad", "muhammed", "mohamed", "mohamad", "mo"),
    "nathaniel": ("nat", "nate", "nathan"),
    "nicholas": ("nick", "nicky", "nico", "nic"),
    "nicola": ("nicki", "nikki", "nic", "nicole"),
    "oliver": ("ollie", "olly", "ol"),
    "olivia": ("liv", "livvy", "livvie", "ollie"),
    "patricia": ("pat", "patty", "trish", "tricia", "patsy"),
    "patrick": ("pat", "paddy", "patsy"),
    "peter": ("pete",),
    "philip": ("phil", "pip", "phillip"),
    "rebecca": ("becky", "becca", "bex", "beckie"),
    "richard": ("rich", "rick", "ricky", "dick", "richie", "ritchie"),
    "robert": ("rob", "robbie", "bob", "bobby", "bert", "robin"),
    "ronald": ("ron", "ronnie"),
    "rosemary": ("rose", "rosie", "romy"),
    "samantha": ("sam", "sammy", "sammie"),
    "samuel": ("sam", "sammy", "sammie"),
    "sarah": ("sally", "sadie", "sara"),
    "sebastian": ("seb", "bastian"),
    "stephanie": ("steph", "stephie", "steff"),
    "stephen": ("steve", "stevie", "steven", "stevo"),
    "susan": ("sue", "susie", "suzy", "suzanne", "susanna"),
    "theodore": ("theo", "ted", "teddy"),
    "thomas": ("tom", "tommy", "thom"),
    "timothy": ("tim", "timmy"),
    "valerie": ("val",),
    "victoria": ("vicky", "vicki", "tori", "vikki", "toria"),
    "william": ("bill", "billy", "will", "willie", "willy", "liam", "wills"),
    "zachary": ("zach", "zack", "zac"),
}


def _full_names_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for full, shorts in NICKNAMES.items():
        table.setdefault(full, set()).add(full)
        for short in shorts:
            table.setdefault(short, set()).add(full)
    return {name: frozenset(fulls) for name, fulls in table.items()}


FULL_NAMES: dict[str, frozenset[str]] = _full_names_table()


def full_names_for(name: str) -> frozenset[str]:
    """The full names a (lower-case, accent-free) first name may stand for, itself included:
    "sam" gives samantha and samuel; a name not in the table gives only itself."""
    return FULL_NAMES.get(name, frozenset()) | {name}


def shared_full_name(first: str, second: str) -> str | None:
    """The full name two different first names both stand for ("bill", "william": william)."""
    if first == second:
        return None
    shared = (full_names_for(first) & full_names_for(second)) - {first, second}
    if shared:
        return min(shared)
    if first in full_names_for(second):
        return first
    if second in full_names_for(first):
        return second
    return None
