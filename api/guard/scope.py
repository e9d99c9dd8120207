"""Scope: is a message about what Clearpath covers, and is it a personal medical question."""

from __future__ import annotations

import re

from api.guard.dosing import TAPER_OTHER
from api.guard.rules import Pattern
from api.guard.words import CORE

_SCOPE = Pattern(
    r"opioid|opiate|opio|kratom|mitragyn|7-hydroxy|withdraw|detox|abstinencia|desintox|"
    r"heroin|fentanyl|oxycodone|hydrocodone|morphin|codeine|tramadol|methadone|metadona|"
    r"buprenorphine|buprenorfina|naloxone|naloxona|naltrexone|lofexidine|lucemyra|vivitrol|"
    r"overdos|sobredosis|addict|adicci|adict|pressed pill|pills|pastillas|contingency|"
    r"cold turkey|taper|neonatal|abstinence|clean|using again|used to take|jail|prison|"
    r"incarcerat|oxicodona|hero[ií]na|fentanilo|morfina|"
    r"recovery|recuperaci|relapse|reca[ií]da|sober|sobriety|"
    r"craving|painkiller|pain pill|liver|h[ií]gado|jaundice|ictericia|\balt\b|\bast\b|enzyme|"
    r"bilirubin|hepat|acetaminophen|paracetamol|tylenol|samhsa|988|helpline|treatment|"
    r"tratamiento|rehab|counsel|therapy|terapia|narcotics anonymous|\bna meeting|peer support|"
    r"drug|droga|substance|use disorder|\boud\b|\bmoud\b|\bmat\b|clinic|poison|dependen|"
    r"tolerance|tolerancia|supplement|suplemento|salmonella|fda|dea\b|nida|harm reduction|"
    r"dopesick|dope sick|x[- ]?waiver|dilin|livertox|mitragyna|speciosa|ictericia|sober living|"
    r"nodding (?:off|out)|nod(?:ding)? out|quit(?:ting)?\b|dejarlo|dejar de|\bpill\b|pastilla|"
    r"relaps|reca[ií]|test strips?|tiras reactivas|poco a poco|\bdope\b|kicking|yellow|"
    r"dark (?:urine|pee)|"
    r"(?:pale|light[- ]colou?red|clay[- ]colou?red) (?:stools?|poop)|\bleaf\b|\bleaves\b|"
    r"1-?800|hotline|helpline|\bfrank\b|ambulance|emergency number|\b(?:911|999|000|111|112)\b|"
    # Medicines and words of withdrawal, liver and newborn care that the corpus covers, help
    # lines by name, and body signs described in plain words (English and Spanish).
    r"\bnas\b|\bnicu\b|finnegan|"
    r"cirrho|cirros|fibroscan|phosphatase|fosfatasa|cholesta|colesta|amarill|"
    r"\bschedule (?:1|i|one)\b|controlled substance|crisis (?:line|number|text)|suicide (?:line|"
    r"number|hotline|crisis)|lifeline|\badis\b|poison control|envenenamiento|toxicol|"
    r"l[ií]nea de (?:ayuda|crisis)|unconscious|inconsciente|not breathing|can'?t breathe|"
    r"trouble breathing|precipitated|bernese|inducci|induction|microdos|coming off|come off|"
    r"getting off|goosebumps|goose bumps|"
    r"piel (?:chinita|de gallina)|pupil|\b(?:12|twelve)[- ]steps?\b|intervention|"
    r"(?:urine|pee|orina) (?:is |was |looks |turned |es |est[aá] )?(?:very |muy )?(?:dark|brown|"
    r"oscura)|(?:stools?|poop|heces) (?:is |are |looks |es |son )?(?:pale|light|clay|white|grey|"
    r"gray|blanc|clar)"
)
_OTHER_SUBSTANCE = Pattern(
    r"\b(?:benzos?|benzodiazepines?|alcohol|caffeine|coffee|nicotine|cigarettes?|vap(?:e|ing)|"
    r"ssris?|antidepressants?|xanax|valium|klonopin|ativan|weed|cannabis|marijuana|thc|sugar|"
    r"gaming|porn|social media|adderall|stimulants?|meth(?!adone)\w*+|cocaine|effexor|zoloft|"
    r"lexapro|prednisone|hangover|vitamins?|cafe[ií]na|nicotina|tabaco|benzodiacepinas?|"
    r"alcohol|smoking|cigarettes?|weed|marihuana|mota|ambien|zolpidem|fumar|cigarros|fatty liver|"
    r"h[ií]gado graso|hepatitis a|liver cleanse|detox tea|401k|atm|kill (?:a|the) (?:thread|"
    r"process|task)|(?:data|acl|surgery|disk|password|account|knee|injury) recovery|recovery time)"
    r"\b|withdraw(?:al|ing)? (?:cash|money|from (?:my|a|an|the) (?:401k|ira|account|atm))|"
    r"withdraw(?:al)? (?:money|cash|funds|"
    r"from (?:a|my|the) (?:class|course|account|"
    r"bank|college|school|race|contest|program))|(?:bank|atm|cash) withdrawal|withdrawal "
    r"(?:limit|fee|slip)")
_CORE = Pattern(CORE)
# Liver tests place a question about alcohol in scope ("can alcohol raise my alt?").
_LIVER_TEST = Pattern(r"\balt\b|\bast\b|liver enzymes?|bilirubin|\blfts?\b")
PERSONAL = re.compile(
    r"\b(?:can|should|could|is it (?:ok|okay|safe) (?:for me )?to|do i|am i|will i|would i)\b"
    r"[^.?!]{0,30}\b(?:i|me|my)\b|\b(?:i'm on|i am on|i take|i'm taking|i am taking|i use|"
    r"i've been|my (?:meds|medication|medicine|doctor|prescription|pills)|mix(?:ing)? \w++ with)\b|"
    r"\b(?:puedo|debo|estoy tomando|tomo)\b"
)
_TAPER_OTHER = Pattern(TAPER_OTHER)
_WITHDRAWING = Pattern(r"withdraw|abstinencia|detox|quit|dejar|taper")


def other_withdrawal(plain: str) -> bool:
    """Withdrawal from something other than opioids or kratom (alcohol, benzos, caffeine...).
    `plain` is the normalised text without accents."""
    return (_OTHER_SUBSTANCE.search(plain) and not _CORE.search(plain)
            and _WITHDRAWING.search(plain))


def in_scope(norm: str, plain: str) -> bool:
    """A word that places the message inside Clearpath's scope, and no other substance's."""
    if ((_OTHER_SUBSTANCE.search(norm) or _TAPER_OTHER.search(plain))
            and not (_CORE.search(plain) or _LIVER_TEST.search(plain))):
        return False
    return _SCOPE.search(norm) or (plain != norm and _SCOPE.search(plain))


def personal(text: str) -> bool:
    """A personal medical question: the answer adds the clinician line."""
    return PERSONAL.search(text) is not None
