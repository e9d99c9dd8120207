"""The guard stage: crisis, dosing refusal, out of scope, or pass, decided before retrieval.

`check(text, vector, model) -> Verdict` is pure. It reads the message in the policy's order
(crisis, then dosing, then scope) and, at each step, asks two layers:

1. Transparent rules over a normalised text (slang, misspellings, Spanish). A rule that fires
   decides for crisis and dosing; rules are written for recall on the dangerous outcomes.
2. A learned layer (`api.guard_model`): a logistic regression over the sentence embedding
   the retriever computes anyway. It catches wordings no rule anticipated. Its thresholds are
   chosen on the development split and written in `api/data/guard_thresholds.json`.

Instructions inside a message ("ignore your rules", "pretend you are a doctor") are removed
before either layer reads it, so they cannot change the outcome.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from api.guard_model import GuardModel

GuardKind = Literal["crisis", "dosing_refusal", "out_of_scope", "pass"]


@dataclass(frozen=True)
class Verdict:
    kind: GuardKind
    reason: str  # the rule or model that decided, for logs and evaluation (never the text)
    lang: str = "en"
    personal: bool = False  # a personal medical question: the answer adds the clinician line


# --- normalisation --------------------------------------------------------------------------

_SLANG: list[tuple[str, str]] = [
    (r"kr[aeo]t[ou]?m+s?|kratum|kratim|kraton|katom|kratomm", "kratom"),
    (r"(\d)\s*(?:grms?|gms?|grs?|gr|g)\b", r"\1 grams"),
    (r"\bgrms?\b|\bgrammes?\b", "grams"),
    (r"(\d)\s*(?:mgs?|milligrams?)\b", r"\1 mg"),
    (r"(\d)\s*(?:mls?)\b", r"\1 ml"),
    (r"(\d)\s*(?:tabs?|tablets?|pills?)\b", r"\1 pills"),
    (r"(\d)\s*(?:caps?|capsules?)\b", r"\1 capsules"),
    (r"(\d)\s*(?:tsps?|teaspoons?)\b", r"\1 teaspoons"),
    (r"\bw/?d\b|\bw-d\b|\bwithdrawl?s?\b|\bwithdrawel\b|\bwitdrawal\b|\bwithdrawals\b",
     "withdrawal"),
    (r"\b(?:oxys?|oxies|roxys?|roxies|percs?|percocets?|oxycontin)\b", "oxycodone"),
    (r"\b(?:subs|subbies|subby|bupe|bupes|subutex|suboxone|zubsolv|sublocade)\b",
     "buprenorphine"),
    (r"\b7[\s-]?oh\b|\b7[\s-]?hydroxy\b", "7-hydroxymitragynine"),
    (r"\b(?:fent|fetty|fenty)\b", "fentanyl"),
    (r"\bnarcan\b", "naloxone"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\bim\b", "i'm"),
    (r"\b(?:hw|hoe|hwo)\s+(much|many|often|long)\b", r"how \1"),
    (r"\bhow\s*(?:mcuh|mich|muhc|mutch)\b", "how much"),
    (r"\bhowmuch\b", "how much"),
    (r"\bhowmany\b", "how many"),
    (r"\bwat\b|\bwhta\b", "what"),
    (r"\bshud\b|\bshoud\b|\bshld\b", "should"),
    (r"\bcuanto\b", "cuánto"),
    (r"\bcuantos\b", "cuántos"),
    (r"\bcuantas\b", "cuántas"),
]
_SLANG_RE = [(re.compile(p), r) for p, r in _SLANG]

_INJECTION = re.compile(
    r"\b(?:ignore|forget|disregard|bypass|override)\b[^.!?\n]{0,40}?"
    r"\b(?:rules?|instructions?|guidelines?|polic(?:y|ies)|filters?|restrictions?|safety|prompt)"
    r"\b|\b(?:pretend|imagine|act|roleplay)\b[^.!?\n]{0,15}?\b(?:you(?:'re| are)|as)\b"
    r"[^.!?\n]{0,40}?\b(?:doctor|nurse|pharmacist|physician|dealer|expert|chemist|ai|bot|"
    r"dan|assistant|model)\b|\byou are now\b[^.!?\n]{0,40}|\bdeveloper mode\b|\bjailbreak\b|"
    r"\bno restrictions\b|\bhypothetically\b|\bfor a (?:story|novel|book|game)\b|"
    r"\bignora (?:tus|las) (?:reglas|instrucciones)\b|\bfinge que eres\b[^.!?\n]{0,30}"
)


def normalise(text: str) -> str:
    """Lower case, Unicode-folded, slang and common misspellings mapped, spacing collapsed."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("´", "'")
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, repl in _SLANG_RE:
        text = pattern.sub(repl, text)
    return text


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def without_instructions(text: str) -> str:
    """The message with "ignore your rules"-style wording removed."""
    return re.sub(r"\s+", " ", _INJECTION.sub(" ", text)).strip()


_SPANISH = re.compile(
    r"[¿¡ñ]|\b(?:que|qué|cómo|cuánto|cuántos|cuántas|cuál|puedo|debo|tengo|tomar|está|estoy|"
    r"mi|mis|el|la|los|las|para|con|por|una|uno|es|hay|pero|si|sí|no respira|ayuda|dosis|"
    r"abstinencia|hígado|hijo|hija|novio|novia|amigo|amiga|hermano|hermana|quiero)\b"
)
_ENGLISH = re.compile(r"\b(?:the|is|what|how|my|i|you|and|of|to|can|does|it)\b")


def detect_lang(text: str) -> str:
    es, en = len(_SPANISH.findall(text)), len(_ENGLISH.findall(text))
    return "es" if es >= 2 and es > en else "en"


# --- rules, in the policy's order -----------------------------------------------------------

_WHO = (r"(?:he|she|they|it|him|her|them|my \w+|a \w+|someone|somebody|friend|partner|"
        r"boyfriend|girlfriend|husband|wife|brother|sister|son|daughter|mom|mum|dad|roommate|"
        r"he's|she's|they're|i|i'm|we)")
_CRISIS_RULES: list[tuple[str, str]] = [
    ("overdose_signs",
     rf"\b{_WHO}\b[^.?!]{{0,60}}\b(?:(?:is|isn't|isnt|are|aren't|not|stopped|barely|can't|cant|"
     r"won't|wont|struggling|trouble|hardly)\s+(?:really\s+)?breath(?:ing|e)|unresponsive|"
     r"(?:won't|wont|can't|cant|not|doesn't|isn't) (?:wake|waking|respond)|passed out|"
     r"unconscious|(?:lips|face|fingers?|skin) (?:are |is |turning |went |look )?(?:blue|purple|"
     r"grey|gray)|turning blue|gurgling|(?:having|had) a seizure|seizing|convuls|"
     r"collapsed|overdos(?:ing|ed)\b(?! (?:before|in the past|last year|years ago)))"),
    ("overdose_signs", r"\b(?:not breathing|stopped breathing|no pulse|won't wake up|"
     r"can't wake (?:him|her|them|my)|blue lips|lips (?:are|turning|went) blue|"
     r"overdosing (?:right )?now|(?:think|thinks|afraid|scared) (?:i'm|he's|she's|they're|i am|"
     r"he is|she is|they are|someone is|my \w+ is) overdosing|is overdosing|od'?ing (?:right )?"
     r"now|having a seizure (?:right )?now|call (?:911|an ambulance))\b"),
    ("chest_pain_after_use",
     r"\bchest (?:pain|hurts|is tight|tightness|feels tight|pressure)\b[^.?!]{0,60}"
     r"\b(?:after|took|taking|used|using|since|kratom|opioid|oxycodone|fentanyl|heroin|pills?)\b|"
     r"\b(?:after|took|taking|used|using)\b[^.?!]{0,60}\bchest (?:pain|hurts|is tight|tightness|"
     r"pressure)\b"),
    ("ingestion_child_or_pet",
     r"\b(?:kid|child|son|daughter|toddler|baby|infant|grandson|granddaughter|dog|puppy|cat|"
     r"kitten|pet|nephew|niece)\b[^.?!]{0,40}\b(?:ate|eaten|swallowed|got into|drank|chewed|"
     r"licked|took|may have taken|might have (?:eaten|swallowed|taken)|found and ate|"
     r"got hold of|se tragó|se comió|se tomó|comió|tragó)\b"),
    ("self_harm",
     r"\b(?:kill (?:my ?self|myself)|end (?:my life|it all|things|everything)|suicid|"
     r"(?:want|wanna|going|gonna|ready|plan(?:ning)?) to die|want to be dead|better off dead|"
     r"no reason to (?:live|go on)|don'?t want to (?:live|be alive|wake up|be here|exist)|"
     r"hurt(?:ing)? myself|harm(?:ing)? myself|self[- ]harm|cut(?:ting)? myself|"
     r"take all (?:my|the|of my) (?:pills|meds)|overdose on purpose|od on purpose|"
     r"not (?:be )?(?:here|around) (?:anymore|tomorrow)|can'?t go on|disappear forever|"
     r"say(?:ing)? goodbye (?:to everyone|forever))"),
    ("lethal_amount",
     r"\b(?:lethal|fatal|deadly|killing|toxic) (?:dose|amount|dosage|quantity|level)|"
     r"\bhow (?:much|many)\b[^.?!]{0,60}\b(?:to|would|will|could|does it take to|it takes to)\s+"
     r"(?:kill|die|od|overdose|stop (?:my|your|a) heart|not wake up|end it)\b|"
     r"\benough\b[^.?!]{0,40}\bto (?:kill|die|od|overdose|not wake up|end it)\b"),
    ("crisis_es",
     r"\b(?:no respira|dej[oó] de respirar|no despierta|no reacciona|no responde|inconsciente|"
     r"labios (?:azules|morados)|se (?:est[aá] )?poniendo azul|convulsi|sobredosis ahora|"
     r"(?:est[aá]|creo que tiene|tiene) (?:una )?sobredosis|quiero morir|me quiero morir|"
     r"matarme|suicid|quitarme la vida|acabar con (?:mi vida|todo)|no quiero (?:vivir|despertar|"
     r"seguir)|hacerme da[nñ]o|cortarme|dosis (?:letal|mortal)|cu[aá]nt[oa]s?[^.?!]{0,50}"
     r"para (?:morir|matarme|no despertar)|dolor (?:en el|de) pecho)"),
]

_AMOUNT = (r"(?:grams?|mg|ml|mcg|micrograms?|pills?|capsules?|teaspoons?|tablespoons?|spoons?|"
           r"scoops?|doses?|strips?|shots?|drops?|cups?|tabs?|bags?|points?|patch(?:es)?|"
           r"gramos|miligramos|pastillas|tabletas|c[aá]psulas|cucharadas|cucharaditas|gotas)")
_SUBSTANCE = (r"(?:kratom|7-hydroxymitragynine|mitragynine|oxycodone|buprenorphine|methadone|"
              r"naloxone|naltrexone|lofexidine|fentanyl|heroin|morphine|hydrocodone|codeine|"
              r"tramadol|gabapentin|clonidine|loperamide|imodium|ibuprofen|tylenol|acetaminophen|"
              r"paracetamol|xanax|benzos?|alcohol|it|this|that|them|powder|extract|shots?|"
              r"capsules|pills|tea|medicine|meds|medication|dose)")
_DOSING_RULES: list[tuple[str, str]] = [
    ("amount_question",
     r"\bhow (?:much|many)\b(?! (?:people|persons|deaths?|americans|adults|teens|users|"
     r"states|countries|cases|times (?:has|have|was|were)|years|studies|products|does it cost|"
     r"money|of (?:the|them|these)|hospitals?|kids|babies|calls))[^.?!]{0,80}"
     r"\b(?:take|taking|use|using|dose|dosing|dosage|give|giving|start|need|should|can|safe|"
     r"too much|too many|enough|per day|a day|at once|at a time|to replace|to get through|"
     r"to stop|to quit|to feel|for (?:withdrawal|pain|wd|sleep)|equals?|equivalent|"
     rf"redose|re-dose|{_AMOUNT})\b"),
    ("amount_question", rf"\bhow (?:much|many) {_AMOUNT}\b"),
    ("what_dose",
     r"\b(?:what|which|whats|what's|best|right|correct|safe|safest|good|normal|usual|typical|"
     r"starting|start|max|maximum|recommended|effective|proper|lowest|highest|ideal|"
     r"average|standard)\s+(?:is (?:the |a )?|are (?:the )?|'s (?:the |a )?|the |a )?"
     r"(?:(?:right|correct|safe|good|normal|usual|typical|starting|max|maximum|recommended|"
     r"best|effective|proper|lowest|highest|ideal|daily|average|standard|beginner|first)\s+)?"
     r"(?:dose|dosage|dosing|amount|strength)\b(?! (?:means|of evidence))"),
    ("dose_of", rf"\b(?:dose|dosage|dosing) (?:of|for) (?:\w+ ){{0,3}}?{_SUBSTANCE}\b"
     r"(?! (?:varies|vary|matters?|hard))"),
    ("dose_judgement",
     r"\b\d+(?:[.,]\d+)?\s*(?:-|to)?\s*\d*\s*" + _AMOUNT + r"\b[^.?!]{0,60}\b(?:too much|"
     r"too many|too little|too strong|safe|enough|ok|okay|fine|dangerous|a lot|too high|too low|"
     r"high|low|normal|strong|weak|alright|bad|risky|overdose|kill|work|help)\b"),
    ("dose_judgement",
     r"\b(?:is|are|would|will|can)\b[^.?!]{0,20}\b\d+(?:[.,]\d+)?\s*" + _AMOUNT + r"\b"),
    ("dose_judgement",
     r"\b(?:should|can|could|may|do) (?:i|you|we|he|she|they|my \w+) (?:take|use|have|give "
     r"(?:him|her|them)?)\s*\d+(?:[.,]\d+)?\s*" + _AMOUNT),
    ("dose_change",
     r"\b(?:should|can|could|do) (?:i|you|we|he|she|they|my \w+) (?:take|use|have|do) "
     r"(?:more|less|another|a second|a double|double|extra|half|a bigger|a smaller|a higher|"
     r"a lower)\b|\b(?:double|increase|up|raise|lower|reduce|cut|decrease|halve|split) "
     r"(?:my|the|his|her|their|your) (?:dose|dosage|methadone|buprenorphine|kratom|oxycodone|"
     r"meds|medication|script)\b(?! (?:is|was|means))"),
    ("frequency",
     r"\bhow (?:often|frequently|many times)\b[^.?!]{0,40}\b(?:take|use|dose|redose|re-dose|"
     r"give|a day|per day|daily)\b|\bevery how many hours\b|\bhow (?:long|many hours) "
     r"(?:between|apart|should i wait between)\b[^.?!]{0,30}\b(?:doses?|taking)|"
     r"\bwhen (?:should|can|do) (?:i|he|she|we|they) (?:take|redose|re-dose|dose|start)\b"
     r"[^.?!]{0,40}\b(?:again|next|another|buprenorphine|methadone|kratom|dose|after)\b"),
    ("taper_plan",
     r"\b(?:taper|tapering|wean|weaning|step down|come down|cut down|reduce)\b[^.?!]{0,60}"
     r"\b(?:schedule|plan|chart|week by week|day by day|per week|per day|how much|by how much|"
     r"each (?:day|week))\b|\b(?:schedule|plan|chart|steps)\b[^.?!]{0,30}\b(?:taper|tapering|"
     r"wean|weaning|to get off|to quit|to come off)\b|\bhow (?:do|should|can|would) (?:i|you|we|"
     r"he|she|they) (?:taper|wean)\b|\b(?:give|make|write|build|create) (?:me|us|him|her)? ?"
     r"(?:a |an )?(?:taper|tapering|weaning|dosing|dose)\b"),
    ("conversion",
     r"\b(?:convert|conversion|equivalent|equals?|equal to|same as|replace|replacing|"
     r"substitute|switch)\b[^.?!]{0,80}\b\d+(?:[.,]\d+)?\s*" + _AMOUNT + r"|\b\d+(?:[.,]\d+)?\s*"
     + _AMOUNT + r"\b[^.?!]{0,80}\b(?:convert|conversion|equivalent|equals?|equal to|same as|"
     r"replace|substitute|in (?:kratom|grams|mg))\b|\b(?:conversion|equivalen(?:t|cy)) "
     r"(?:chart|table|ratio|rate|calculator)\b"),
    ("dosing_es",
     r"\bcu[aá]nt[oa]s? " + _AMOUNT + r"|\bcu[aá]nt[oa]s?\b[^.?!]{0,60}\b(?:debo|puedo|tengo que|"
     r"hay que|se (?:debe|puede)|tomo|tomar|uso|usar|doy|dar|le doy|necesito|es seguro|es mucho|"
     r"es demasiado|al d[ií]a|por d[ií]a)\b|\bqu[eé] dosis\b|\bdosis (?:de|para|correcta|segura|"
     r"inicial|recomendada|m[aá]xima|diaria)\b|\bcada cu[aá]nt[oa]s?\b|\bcu[aá]ntas veces al "
     r"d[ií]a\b|\b(?:plan|calendario|horario) (?:para|de) (?:dejar|reducir|bajar|desintoxic)|"
     r"\b\d+(?:[.,]\d+)?\s*" + _AMOUNT + r"\b[^.?!]{0,40}\b(?:es mucho|es demasiado|es seguro|"
     r"es peligroso|est[aá] bien|es poco|alcanza|basta)"),
]

_CRISIS_RE = [(name, re.compile(p)) for name, p in _CRISIS_RULES]
_DOSING_RE = [(name, re.compile(p)) for name, p in _DOSING_RULES]

# Words that place a message inside Clearpath's scope. Without one, a message may be declined
# as out of scope; with one, it always goes on to retrieval (which may still say no_answer).
_SCOPE = re.compile(
    r"opioid|opiate|opio|kratom|mitragyn|7-hydroxy|withdraw|detox|abstinencia|desintox|"
    r"heroin|fentanyl|oxycodone|hydrocodone|morphin|codeine|tramadol|methadone|metadona|"
    r"buprenorphine|buprenorfina|naloxone|naloxona|naltrexone|lofexidine|lucemyra|vivitrol|"
    r"overdose|sobredosis|addict|adicci|recovery|recuperaci|relapse|reca[ií]da|sober|sobriety|"
    r"craving|painkiller|pain pill|liver|h[ií]gado|jaundice|ictericia|alt\b|ast\b|enzyme|"
    r"bilirubin|hepat|acetaminophen|paracetamol|tylenol|samhsa|988|helpline|treatment|"
    r"tratamiento|rehab|counsel|therapy|terapia|narcotics anonymous|\bna meeting|peer support|"
    r"drug|droga|substance|use disorder|\boud\b|\bmoud\b|\bmat\b|clinic|poison|dependen|"
    r"tolerance|tolerancia|supplement|suplemento|salmonella|fda|dea\b|nida|harm reduction"
)
_PERSONAL = re.compile(
    r"\b(?:can|should|could|is it (?:ok|okay|safe) (?:for me )?to|do i|am i|will i|would i)\b"
    r"[^.?!]{0,30}\b(?:i|me|my)\b|\b(?:i'm on|i am on|i take|i'm taking|i am taking|i use|"
    r"i've been|my (?:meds|medication|medicine|doctor|prescription|pills)|mix(?:ing)? \w+ with)\b|"
    r"\b(?:puedo|debo|estoy tomando|tomo)\b"
)


def rule_hit(rules: list[tuple[str, re.Pattern[str]]], *texts: str) -> str | None:
    for name, pattern in rules:
        if any(pattern.search(t) for t in texts):
            return name
    return None


def in_scope(text: str) -> bool:
    return bool(_SCOPE.search(text) or _SCOPE.search(strip_accents(text)))


def check(
    text: str, vector: np.ndarray | None = None, model: GuardModel | None = None
) -> Verdict:
    """The guard's outcome for one message. `vector` is its sentence embedding."""
    norm = without_instructions(normalise(text))
    plain = strip_accents(norm)
    lang = detect_lang(norm)
    probs = model.probabilities(vector) if model is not None and vector is not None else None

    if hit := rule_hit(_CRISIS_RE, norm, plain):
        return Verdict("crisis", f"rule:{hit}", lang)
    if probs is not None and model is not None and probs["crisis"] >= model.thresholds["crisis"]:
        return Verdict("crisis", "model:crisis", lang)

    if hit := rule_hit(_DOSING_RE, norm, plain):
        return Verdict("dosing_refusal", f"rule:{hit}", lang)
    if (probs is not None and model is not None
            and probs["dosing_refusal"] >= model.thresholds["dosing_refusal"]):
        return Verdict("dosing_refusal", "model:dosing_refusal", lang)

    scoped = in_scope(norm)
    if not scoped and (probs is None or model is None
                       or probs["out_of_scope"] >= model.thresholds["out_of_scope"]):
        return Verdict("out_of_scope", "model:out_of_scope" if probs else "rule:no_scope_word",
                       lang)
    personal = bool(_PERSONAL.search(norm))
    return Verdict("pass", "in_scope" if scoped else "model:pass", lang, personal)
