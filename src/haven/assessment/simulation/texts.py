"""Words for synthetic assessments: short, plainly fictional, matched to the factors drawn."""

from __future__ import annotations

import random

WORRIES = {
    "3B": "Police have been called to the home after arguments between the adults; the child "
    "was in the next room.",
    "1B": "A parent drinks most evenings and is sometimes not up to get the child to school.",
    "2B": "A parent's drug use means money for food runs out before the end of the week.",
    "4B": "A parent's low mood means the home is chaotic and meals are missed.",
    "4A": "The child is withdrawn, not sleeping, and has talked about feeling hopeless.",
    "16A": "The child often arrives at school hungry and in the same clothes.",
    "17A": "The child is shouted at and blamed for the family's problems.",
    "18C": "The child had bruising that an adult in the home could not explain.",
    "10A": "The child has been missing overnight twice this term.",
    "24A": "The child has been seen with older young people and has new phones and money.",
    "14A": "The child has been excluded from school for fighting.",
}
WORKING_WELL = (
    "A grandparent lives nearby and has the child after school most days.",
    "The child's attendance at school is good and staff know them well.",
    "The parents agree there is a problem and want help to change things.",
    "The child has a close friend and enjoys football on Saturdays.",
)
NEEDS = (
    "A parent to work with the service named in the plan, and to keep every appointment.",
    "A safety plan agreed with the family and the school, reviewed at every visit.",
    "The child to have a trusted adult at school to talk to each week.",
)
VOICES = (
    '"I like it when Nan picks me up."',
    '"I don\'t like the shouting. I go upstairs and put my headphones on."',
    '"School is OK. I get breakfast club."',
    '"I want Mum to be happy again."',
    "Too young to say; smiled and reached for their mother, and settled quickly.",
)
ANALYSIS = (
    "The worries are real but there is safety in the wider family; with support the "
    "parents can make the changes needed.",
    "Harm is likely to continue without a plan: the parents' own difficulties come first, "
    "and the child's needs go unmet.",
    "The concerns were not borne out: the family has support and the child is thriving.",
)
GIVEN_BY = ("Mother and social worker", "Father", "The child", "Grandmother and social worker")


def worries(rng: random.Random, factors: list[str]) -> str:
    known = [WORRIES[code] for code in factors if code in WORRIES]
    return " ".join(known[:2]) or "Concerns were raised by the referrer about the child's care."


def pick(rng: random.Random, options: tuple[str, ...]) -> str:
    return options[rng.randrange(len(options))]
