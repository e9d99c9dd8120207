"""Dosing rules: a request for an amount, strength, frequency, schedule, taper plan or
conversion, or a judgement of a dose, for anyone, in any wording. Every rule shares the same
exceptions (`UNLESS`): kitchen and unit arithmetic with no drug named, questions about why the
service refuses, tapers of trousers and training plans."""

from __future__ import annotations

import re

from api.guard.rules import Rule, matches, matches_without, remembered
from api.guard.words import AMOUNT, CORE, DRUG, GAME, TECH

NOT_AMOUNT = (r"people|persons|deaths?|died|americans|adults|teens|users|states|countries|"
               r"cases|times (?:has|have|was|were)|years|studies|products|does it cost|money|of "
               r"(?:the|them|these|a|an)|hospitals?|kids|babies|calls|time|longer|worse|better|"
               r"stronger|weaker|more (?:likely|dangerous|common)|do you|does it|is known|"
               r"research|evidence|damage|harm|risk|hours|minutes|days|weeks|calories|steps|"
               r"miles|water|extra time|more time|longer|"
               r"sleep|dollars|tip|salt|sugar|concussions|weight|fluids?|fib(?:re|er)|protein|"
               r"screen time|exercise")
UNIT_QUESTION = (
    r"\b(?:grams?|mg|ml|ounces?|oz|pounds?|cups?|teaspoons?|tablespoons?|miles?|km|kilos?)\b"
    r"(?: are)? in (?:a|an|one|half a|a quarter|\d++(?:/\d++)?) (?:ounce|oz|pound|lb|kilo|"
    r"kilogram|cup|teaspoon|tablespoon|"
    r"liter|litre|gram|gallon|quart|pint|mile|km|kilometer)s?\b|"
    r"\bconvert\b[^.?!]{0,30}\b(?:miles?|km|kilometers?|pounds?|kilos?|celsius|fahrenheit|"
    r"inches|feet|cups?|ounces?)\b|\b\d++\s*(?:oz|ounces?|lbs?|pounds?|cups?)\b[^.?!]{0,20}\bin "
    r"(?:grams|kg|kilos|ml)\b|gramos tiene (?:una|un) |\b(?:taza|cucharada|cucharadita|onza|"
    r"libra)s? "
    r"de (?:harina|az[uú]car|arroz|leche|agua|mantequilla)\b")
KITCHEN = (
    r"\b(?:recipe|cake|bak(?:e|ing)|flour|sugar|butter|oven|shot glass|cocktail|"
    r"(?:hay|tiene) en (?:una|un) (?:cucharada|taza|onza|libra|litro)|in (?:a|an|one) "
    r"(?:shot glass|glass|cup|bottle|can|spoon|tablespoon|teaspoon))\b")
ABOUT_REFUSING = (
    r"\bwhy (?:won'?t|don'?t|can'?t|do not|will not) you\b|^\W*qu[eé] significa\b|"
    r"\bwhat does [\w\s-]{1,30} mean\b|\b(?:how|why) (?:do|does|did|is|are) "
    r"(?:doctors?|clinicians?|providers?|prescribers?|pharmacists?|nurses?|they) (?:decide|choose|"
    r"pick|work out|figure out|set|calculate|determine)\b|\bc[oó]mo (?:deciden|eligen|calculan) "
    r"(?:los|las) (?:m[eé]dicos|doctores|doctoras)\b")
TAPER_OTHER = (
    r"\btaper(?:ing|ed)? (?:my |the |a |an |down )?(?:running|mileage|training|runs?|pant|pants|"
    r"legs?|jeans|sleeves?|sides|fade|haircut|hair|candles?|cylinder|shaft|edges?|workouts?|"
    r"hems?|seams?|ends|tips|beard)\b|\btaper (?:candles?|fade|haircut|cut|tantrum)\b|"
    r"\bscissors\b|\bclippers\b|\bprednisone\b|"
    r"\bmarathon\b|\bpowerlifting\b|\b(?:lifting|swim) meet\b|\bmileage\b|\brace day\b|\bsolidworks\b|\bknife|\blathe\b|extrusion|fusion 360|degradado|table leg|\bwood|"
    r"\bsteroid (?:pack|taper)\b|\btaper(?:ing)? (?:my |the |our )?(?:[\w-]++ )?(?:volume|"
    r"reps|sets|load|lifting|weightlifting|swim(?:ming)?|cycling)\b")
# Asking for, or about, an amount: what keeps a sentence a dosing request whatever else it says.
ASKS_AMOUNT = (
    r"\bhow (?:much|many)\b|\bcu[aá]nt[oa]s?\b|\b(?:more|less|another|extra|higher|lower|"
    r"increase|decrease|double|half|too much|enough)\b|\bm[aá]s\b|\bmenos\b|\bwhat (?:dose|"
    r"amount|strength)\b|\bshould (?:i|he|she|we|they) (?:take|use|start|stop|cut|go)\b")
# ... and a plan, a schedule or a switch asked for, after a dose stated in passing.
ASKS_PLAN = (
    r"\b(?:taper|wean|cut down|schedule|plan|how often|every|switch|convert|equivalent|replace|"
    r"bajar|reducir|dejar poco)\b|\bwhen (?:should|can|do) (?:i|he|she|we|they)\b")
# "I take 150 mg of X; is it risky to use kratom as well?": a stated dose and a question about
# mixing in something else. An interaction question: the general facts and the clinician line.
STATED = (
    r"\b(?:i'?m on|i am on|im on|i take|i used|i was (?:on|taking|using)|i'?ve been (?:on|taking)|"
    r"she'?s on|he'?s on|(?:she|he) "
    r"(?:takes|uses)|(?:has|have) been (?:taking|using|on)|(?:is|are) (?:taking|using)|tomo|"
    r"estoy tomando|toma)\b[^.?!]{0,40}\d")
INTERACTION = (
    STATED + r"(?=.{0,120}\b(?:dangerous|risky|safe|bad|harmful|interact|interactions?|"
    r"peligroso|seguro|riesgo)\b)(?=.{0,160}\b(?:also|as well|too|on it|with it|together|mix|"
    r"mixing|combine|combining|alongside|while on|drink|alcohol|junto|kratom|usar|tomar|ssris?|"
    r"between)\b)|"
    # ... or about withdrawal, treatment or help ("... and want to stop. What is withdrawal like?")
    + STATED + r"(?=.{0,200}\b(?:what|is|are|does|do|can|will|where|how long|how do i find)\b"
    r"[^.?!]{0,60}\b(?:withdrawal|treatment|interactions?|side effects?|liver|addiction|"
    r"dependen\w*+|support|therapy|programs?|clinics?|counsel\w*+|rehab|symptoms|normal)\b)")
# A strength that is part of a product's name: "is the 4 mg naloxone spray sold without a
# prescription?", "what is lisinopril 20 mg used for?".
PRODUCT = (
    r"\b\d++(?:[.,]\d++)?\s*(?:mg|mcg)(?:\s*/\s*\d++(?:[.,]\d++)?\s*(?:mg|mcg)?)?\s*"
    r"(?:\(?[\w-]++\)?\s*){0,2}(?:nasal spray|spray|tablets?|films?|strips?|patch(?:es)?|pills?|"
    r"capsules?|injection|pens?|kits?|version|form|strength|product)?\W*(?:\(?[\w-]++\)?\s*){0,2}"
    r"\b(?:available|approved|over the counter|otc|without a prescription|prescription only|"
    r"used for|for\?|look like|colou?r|generic|brand|cost|price|covered|insurance|sold|the same "
    r"thing as|para qu[eé] "
    r"sirve|sirve para|aprobad[oa])\b|^\W*(?:what|qu[eé]) (?:is|es) (?:the |el |la )?[\w-]++ "
    r"\d++(?:[.,]\d++)?\s*(?:mg|mcg)\b")
# "I'm not asking you for a taper plan": a refusal already understood, with nothing asked.
NOT_ASKING = (
    r"\b(?:not|never) (?:asking|looking for) (?:you )?(?:for |about )?(?:how (?:much|many)(?: [\w-]++){0,3}|"
    r"(?:a |an |any )?(?:[\w-]++ )?(?:dose|dosing|dosage|taper|amount|schedule|plan))\b")
# "... sumatriptan 50 mg tablets, which work well": a statement about a medicine, not a question.
STATEMENT = r"\b(?:which|that) (?:work|works|worked|help|helps|helped)\b"
# A dose named with no amount asked for ("I'm on 60 mg of methadone; is alcohol risky?").
_NAMED = matches_without(f"{INTERACTION}|{PRODUCT}|{STATEMENT}", f"{ASKS_AMOUNT}|{ASKS_PLAN}")
_NOT_ASKING_RE = re.compile(NOT_ASKING)
_ASKS_AMOUNT_RE = re.compile(ASKS_AMOUNT)


def _not_asking(text: str) -> bool:
    """"I'm not asking how much to give": a refusal already understood, and, with those words
    taken out, no amount asked anywhere else."""
    found = _NOT_ASKING_RE.search(text)
    return bool(found) and not _ASKS_AMOUNT_RE.search(text[:found.start()] + text[found.end():])


@remembered
def named_dose(text: str) -> bool:
    """A dose named in passing (an interaction question, a product's strength, a statement),
    or a refusal already understood, with no amount asked for."""
    return _NAMED(text) or _not_asking(text)


KITCHEN_UNITS = matches_without(f"{UNIT_QUESTION}|{KITCHEN}",
                                rf"{DRUG}|\bwithdrawal\b|\babstinencia\b|\bw/?d\b")
# Questions about what something holds, when a thing expires, or what a word means, with no
# amount to take asked for: "how much 7-OH is in regular kratom leaf?", "¿cada cuánto hay que
# cambiar el narcan que se vence?", "my doctor mentioned tiny amounts, what's that about?".
_TAKE = (r"\b(?:should|can|could|do|would|must) (?:i|you|he|she|we|they)\b|\bsafe\b|\btoo "
         r"(?:much|many)\b|\bi (?:take|use)\b|\b(?:tomar|tomo|debo|puedo)\b")
CONTENT = matches_without(
    r"\bhow much [\w-]++ (?:is|are) (?:there )?(?:in|contained in)\b|"
    r"\b(?:se vence|vencen?|caducan?|expiran?|vencimiento|caducidad|expires?|expired|expiry|"
    r"expiration|shelf life)\b|\bwhat'?s (?:that|this|it) (?:all )?about\b|"
    r"\bhow many (?:people|persons|deaths|americans|adults|teens|users|cases|studies|"
    r"hospitals?|kids|babies|calls)\b",
    _TAKE)
# How big a change or an effect is, not an amount to take: "how much of a rise in liver enzymes
# is mild?", "how much kratom impairs driving compared to alcohol?". One that states a number or
# asks what I should take stays a dosing question.
DEGREE = matches_without(
    r"\bhow (?:much|big|large) (?:of )?(?:a |an )?(?:rise|increase|drop|fall|change|difference|"
    r"elevation|jump|spike) (?:in|of)\b|\bhow much (?:does )?[\w-]++ (?:impairs?|affects?|slows?|"
    r"damages?|harms?|raises?|lowers?|changes?|worsens?|impair|affect)\b",
    rf"\d|{_TAKE}")
# What happens to people, how often a thing happens, whether a method works: a question about
# outcomes, not about an amount ("do people still get precipitated withdrawal with the Bernese
# method?", "how often do low-dose inductions cause precipitated withdrawal?"). One that states
# a number or asks how much, or what I should do, stays a dosing question.
OUTCOME = matches_without(
    r"\b(?:do|does|did|can|could) (?:people|patients|users|most people|some people|many people|"
    r"it|that|this|the method|this method)\b[^.?!]{0,30}\b(?:still )?(?:get|gets|work|works|"
    r"cause|causes|help|helps|lead|leads|end up|go into)\b|"
    r"\bdoes [\w -]{3,60} work\b|"
    r"\bhow (?:often|frequently) (?:do|does|is|are|did)\b[^.?!]{0,60}\b(?:cause|causes|lead to|"
    r"leads to|happen|happens|occur|occurs|get|develop|relapse|die)\b",
    rf"\d|{ASKS_AMOUNT}|\b(?:should|can|could) (?:i|he|she|we|they)\b|\bi (?:take|use)\b")
# "How many hours after last use does withdrawal kick in?": when withdrawal starts, not when to
# take something ("... after withdrawal starts should I take buprenorphine?" stays dosing).
ONSET = matches_without(
    r"\b(?:withdrawal|symptoms?|sickness|abstinencia)\b[^.?!]{0,30}\b(?:kick in|kicks in|start|"
    r"starts|begin|begins|set in|sets in|peak|peaks|hit|hits|show up|appear|end|ends|last|stop)\b",
    r"\b(?:should|can|could|do|must) (?:i|you|he|she|we|they) (?:take|start|use|dose|wait|give)\b|"
    r"\bbefore (?:taking|starting|dosing|i take|i start|you take)\b")


# A taper of trousers, a haircut or a training plan, with no drug named.
TAPER_NOT_DRUG = matches_without(TAPER_OTHER, CORE)


@remembered
def not_a_request(text: str) -> bool:
    """No amount of a drug asked for: kitchen arithmetic, what something holds, how big an
    effect is, a taper of something else, or a dose named in passing."""
    return (KITCHEN_UNITS(text) or CONTENT(text) or DEGREE(text) or TAPER_NOT_DRUG(text)
            or named_dose(text))


UNLESS = (
    KITCHEN_UNITS,
    CONTENT,
    DEGREE,
    matches_without(f"{GAME}|{TECH}", CORE),  # "the lethal dose stat of a dagger in a game"
    matches(ABOUT_REFUSING),
    TAPER_NOT_DRUG,
    named_dose,
)

# In a long message a dose rule reads only the sentences that ask (Rule.where): a question,
# or a request to be told or judged. A strength in a pasted letter, a prescription list or lab
# values ("approved: naproxen 500 mg when it's bad") asks for nothing.
ASKING = matches(
    r"\?|^\W*(?:is|are|am|can|could|should|would|will|do|does|did|how|what|whats|what'?s|which|"
    r"when|tell me|please|cu[aá]nt[oa]s?|cu[aá]l|puedo|debo|es|est[aá]|me conviene|se puede)\b|"
    r"\b(?:tell me|let me know|i (?:want|need|would like|'?d like) to know|wonder(?:ing)?|"
    r"should (?:i|he|she|we|they)|can (?:i|he|she|we|they)|could (?:i|he|she|we|they)|"
    r"do (?:i|we) need|how (?:much|many|often)|is (?:that|this|it) (?:ok|okay|safe|too|normal|"
    r"enough|a lot)|(?:ok|okay|safe|alright|fine)\W*$|cu[aá]nt[oa]s?|puedo|debo|what i (?:really )?"
    r"(?:need|want) (?:from you )?is|i (?:really )?need (?:a|an|the|you to))\b")

# "¿Cada cuánto me tengo que revisar los ojos?": how often a check-up is due, not a dose.
CHECKUP = matches_without(
    r"\b(?:cada cu[aá]nt[oa]s?|cu[aá]ntas veces)\b[^.?!]{0,40}\b(?:revis\w*+|chequ\w*+|"
    r"control\w*+|an[aá]lisis|estudios?|ex[aá]men\w*+|citas?|consultas?|vacun\w*+)",
    r"\b(?:dosis|tom[oa]r?|tomarl[oa]|gramos|mg|pastillas?|dar(?:le)?|usar|inyect\w*+)\b")

# Long messages the dose rules must read right (Rule.where): a letter pasted in, with
# strengths and no amount asked for; and a dose question at the end of a long story.
PASTED_LETTER = (
    "From: Claims Team <claims@insurer.example> Subject: Your claim for physiotherapy. Dear "
    "member, we have reviewed the notes from your GP visit on 3 March. Prescribed: naproxen 500 "
    "mg twice a day when the pain is bad, which is enough to cover you until the physiotherapy "
    "starts, and paracetamol 1 g up to four times a day. Omeprazole 20 mg is covered too. "
    "Please send the physiotherapist's invoice within 30 days. I got this letter today and I "
    "don't understand it. Does the insurer pay for the whole course of physiotherapy, or only "
    "the first six sessions? Who do I call to ask?")
DOSE_AT_THE_END = (
    "My back has been bad since I moved house in the spring, and my GP sent me for an X-ray "
    "that came back normal. The physiotherapist gave me exercises and I do them most days. I "
    "have also been reading about kratom because a friend at work uses it for her own back "
    "pain, and I bought a bag of powder online last week. I have taken it three times so far "
    "and it does help a bit. I work long shifts standing up, so I need something. Is 12 grams "
    "of kratom a day too much?")

RULES: tuple[Rule, ...] = (
Rule(
    "amount_question",
    any_of=(
        rf"\bhow (?:much|many)\b(?! (?:{NOT_AMOUNT})\b)[^.?!]{{0,80}}"
        r"\b(?:take|taking|use|using|dose|dosing|dosage|give|giving|start|need to (?:take|use)|"
        r"drink|(?:should|can|could) (?:i|he|she|they|we|you) (?:take|use|drink|have|give|be)|"
        r"(?:would|will|does|do) (?:[\w-]++ ){0,4}need|be on|safe|per (?:pound|kg|lb|kilo|body)|"
        r"too much|too many|enough|per day|a day|at once|at a time|to replace|to get through|"
        r"to (?:[\w-]++ ){1,2}(?:withdrawal|pain|cravings|sickness)|ok|okay|fine|alright|"
        r"to stop|to quit|to feel|to calm|to sleep|for (?:withdrawal|pain|wd|sleep|anxiety|a|an|my|"
        r"his|her|the|moderate|mild|severe|bad)|with|equals?|equivalent|redose|re-dose|"
        rf"{AMOUNT})\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'how much kratom should i take for withdrawal',
        'how many mg of suboxone do i need',
    ),
    near_misses=(
        'how much salt is sensible for a teenager who faints',
        "i'm not asking about how much he should take, the surgeon decided that",
        'how much mitragynine is in a gram of leaf',
        'how many people die from kratom each year',
    ),
),
Rule(
    "amount_question_2",
    any_of=(
        rf"\bhow (?:much|many) {AMOUNT}\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'how many pills',
        'how much mg',
    ),
    near_misses=(
        'how much time does withdrawal take',
    ),
),
Rule(
    "what_dose",
    any_of=(
        r"\b(?:what|which|how many) (?:mg|mgs|milligrams?|grams?|mcg)\b(?! (?:is|are|in|per "
        r"(?:gram|kg|pound|cup)))",
        r"\b(?:what|which|whats|what's|best|right|correct|safe|safest|good|normal|usual|typical|"
        r"starting|start|max|maximum|recommended|effective|proper|lowest|highest|ideal|first|"
        r"initial|average|standard|beginner|daily)\s+(?:is (?:the |a )?|are (?:the )?|'s (?:the |a )?|"
        r"the |a |an )?(?:(?!(?:does|do|is|are|can|why|how|if|happens|a higher|higher)\b)[\w-]++\s+)"
        r"{0,3}?(?:dose|doses|dosage|dosages|dosing|amounts?|strength)"
        r"(?![\w-])(?! (?:means|of evidence|matters?|varies|vary|makes?|affects?|depends?|changes?|"
        r"puts?|caused?|causes|triggers?|triggered|sends?|sent|throws?|threw|made|whats|what'?s))",
    ),
    unless=(*UNLESS, OUTCOME),
    where=ASKING,
    examples=(
        'what is the right dose of kratom',
        'what mg of cbd oil helps with wd',
    ),
    near_misses=(
        'what to do if the first buprenorphine dose puts me into withdrawal',
        'does the right dose matter in these studies',
    ),
),
Rule(
    "asks_for_a_dose",
    any_of=(
        r"\b(?:give|tell|send|suggest|recommend|prescribe) (?:me|us|him|her|them) (?:a|the|some|an|"
        r"my|his|her) (?:[\w-]++ )?(?:dose|dosage|amount|dosing)\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'give me a dose for oxycodone',
        'tell me the dosage of methadone',
    ),
    near_misses=(
        'give me a break',
    ),
),
Rule(
    "dose_for",
    any_of=(
        r"^\W*(?:dose|dosage|dosing) for\b|\b(?:dose|dosage) for (?:a |my |the )?"
        r"(?:first[- ]time|beginners?|newbies?|first time)|\bshould my (?:[\w-]++ )?dose be\b|"
        r"\b(?:doses?|dosing|dosage) (?:by|per) (?:weight|kg|pound|lb|body)|\blist (?:[\w-]++ )?"
        r"doses\b|\b(?:calculate|plan|design|work out|figure out) (?:my|a|the|his|her) "
        r"(?:[\w-]++ )?(?:taper|dose|dosage|dosing)\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'dose for first time kratom',
        'dosage for beginners',
    ),
    near_misses=(
        "why won't you tell me the dose for kratom",
    ),
),
Rule(
    "more_dosing",
    any_of=(
        r"\ba qu[eé] hora (?:del d[ií]a )?(?:es mejor )?(?:tomo|tomar|debo|le doy)\b|"
        r"\b(?:can|should|could) (?:i|he|she|we|they) (?:take|use|have|do) (?:\d++|two|three|four|"
        r"five)\b(?!\s*(?:days?|weeks?|months?|years?|hours?|times? (?:to|a (?:week|month))))|"
        r"\band how (?:much|many)\W*$|\b(?:at night|in the morning|in the evening|before bed)\b"
        r"[^.?!]{0,20}\binstead\b|\binstead of\b[^.?!]{0,20}\b(?:at night|in the morning|in the "
        r"evening)|\bhow (?:much|many) (?:lower|less|more|higher)\b|\bratio\b[^.?!]{0,40}\b(?:of|"
        r"between) [\w-]++ (?:to|and) [\w-]++|\bsplit (?:them|it|my|the)\b[^.?!]{0,20}\b(?:up|over|"
        r"across|into)\b|\bhow soon (?:after|before|can|should|could) (?:i|you|he|she|we|they|my "
        r"[\w-]++)\b(?! (?:get|go|come) back| return| drive| work| exercise| walk| eat)|\b(?:dose|how much|how many|grams?|"
        r"mg)\b[^.?!]{0,40}\b\d++\s?(?:lb|lbs|pounds?|kg|kilos?)\b|\bweigh\w*+ \d++|\b\d++\s?x (?:a|per) "
        r"day\b|\d++(?:[.,]\d++)?\s*(?:[\w-]++ )?" + AMOUNT + r"\b.{0,80}\bis (?:that|this|it) (?:too "
        r"much|ok|okay|safe|a lot|bad|normal)\b|\b(?:mg|grams?|ml) (?:per|a) day\b|\b(?:bajar|"
        r"reducir|subir|bajarla|bajarlo) a \d++|\bhow often\W*$|\bhow low can (?:i|you|we) go\b|"
        r"\btaking less each day\b|\bstretch (?:them|my|it)\b|\breduction (?:per|each|a) (?:week|"
        r"day)\b|\bhow much [\w-]++ (?:for|to (?:get|stop|quit|come|help|ease|sleep|calm|feel))\b|"
        r"\b(?:grams?|mg|ml|pills?|capsules?) of [\w-]++ (?:per|a) day|^\W*[\w-]++\s+(?:grams?|mg|"
        r"dose|dosage)\W*$",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'can i take 2 at night instead',
        'how soon after my last use can i take subs',
    ),
    near_misses=(
        'can i take 2 weeks off work for detox',
    ),
),
Rule(
    "taper_schedule",
    any_of=(
        r"\b(?:week|day|step)[- ]by[- ](?:week|day|step) (?:schedule|plan|taper|breakdown)\b|"
        r"\b(?:schedule|plan|taper) to (?:get|come|go|step) (?:down|off)\b|\bget (?:down|off) to zero\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'What I really need from you is a week-by-week schedule to get down to zero',
        'can you make me a day by day plan to come off kratom',
    ),
    near_misses=(
        'my running coach gave me a week-by-week plan for the marathon taper',
    ),
),
Rule(
    "typical_amount",
    any_of=(
        r"\bwhat (?:do|does|did|would|should) (?:most )?(?:people|users|beginners|newbies|others|"
        r"folks|you guys|y'?all|everyone) (?:usually |normally |typically |generally )?(?:take|use|"
        r"start (?:with|on|at))\b[^.?!]{0,60}\b(?:start(?:ing)?(?: out)?|first (?:time|starting|try|trying|using)|"
        r"beginners?|to begin|new to it)\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        "what do most people take for kratom when they're first starting out",
        'what do beginners usually start with when they first try kratom',
    ),
    near_misses=(
        'what do most people take for withdrawal, which medicines?',
    ),
),
Rule(
    "amount_choice",
    any_of=(
        r"\b\d++(?:[.,]\d++)?\s*(?:mg|grams?)?\s*or \d++(?:[.,]\d++)?\s*(?:mg|grams?|capsules|pills|"
        r"blues|bars|oxycodone|buprenorphine|tabs)\b|\b\d++\s*(?:mg|grams?)\b.{0,40}\b\d++\b.{0,20}\b"
        r"(?:would be better|is better|enough|too much)\b|\bstep ?downs?\b|\bhow (?:many|much) "
        r"(?:hours|days|time) (?:before|after)\b[^.?!]{0,40}\b(?:stop|take|start|use)\b|"
        r"\b(?:a|one|two|three|\d++) (?:glass|glasses|beers?|drinks?|shots?|cups?)\b(?: of [\w-]++)? "
        r"(?:with|on|while on)\b",
    ),
    unless=(*UNLESS, ONSET),
    where=ASKING,
    examples=(
        'how many hours after withdrawal starts should i take buprenorphine',
        'should i take 4 or 8 mg',
        '2 grams or 3 grams',
    ),
    near_misses=(
        'how many hours after last use does heroin withdrawal kick in',
        'is 2 or 3 days of withdrawal normal',
    ),
),
Rule(
    "personal_amount",
    any_of=(
        r"\b(?:i'?m|i am|im) (?:at|on|taking|down to|using|doing) \d++(?:[.,]\d++)?\s*" + AMOUNT
        + r"\b|\b(?:i'?m|i am|im|he'?s|she'?s) (?:at|on|taking|down to|using|doing) \d++(?:[.,]\d++)?"
        r"\s*(?:[\w-]++ )?(?:a|per) day\b|\b(?:doblar|duplicar) (?:la|mi|su) dosis\b|\bdosis doble\b|"
        r"\bhow (?:much|many)\b(?! (?:does|do|did) (?:it|they|that|this) (?:\w++ )?matter)[^.?!]{0,60}"
        r"\b(?:same as|equal to|equivalent|equals|compared to)\b|"
        r"\b(?:write|give|make|create|build|draw up|put together) (?:me |us )?(?:a |an |the )?"
        r"(?:[\w-]++ ){0,3}(?:schedule|protocol|calendar|regimen)\b(?! (?:i|ii|iii|iv|v|1|2|3|4|5|"
        r"one)\b)|\bbernese\b|"
        r"\b(?:dame|deme|d[ií]game) (?:los|las|el|la) (?:gramos|mg|miligramos|cantidad|dosis|"
        r"n[uú]mero)\b|\b(?<!not )(?<!never )(?:take|use|have) (?:an |one )?(?:extra|another|a second|a double)\b"
        r"(?! (?:time|step|look|day|break|walk|gig|go|chance|appointment|question|job|try|attempt|"
        r"baby|kid|child|option|opinion|concert|show|session|test|doctor|meeting|week|month))|"
        r"\b(?:what'?s|what is|whats) the equivalent\b|\bswitch(?:ing)? from [\w-]++ to [\w-]++\b"
        r"[^.?!]{0,40}\b(?:how much|equivalent|dose|amount)|"
        r"\bi (?:take|use|do|have been taking|am taking) \d++(?:[.,]\d++)?\s*" + AMOUNT
        + r"\b[^.?!]{0,30}\b(?:how|what|should|can|is|would)\b|"
        r"\b(?:should|can|do you recommend|would you)\b[^.?!]{0,30}\b\d++(?:[.,]\d++)?\s*(?:[\w-]++ )?"
        r"or \d++|\b(?:take|use|have) (?:\d++|one|two|three|four) (?:[\w-]++ )?(?:a|per) day\b|"
        r"\bgive (?:my|him|her|them)\b[^.?!]{0,30}\b(?:half|some|a piece|part|one) of (?:my|a|the)\b|"
        r"\b(?:cut|split|break) (?:them|it|my [\w-]++|the [\w-]++) in (?:half|halves|quarters|thirds)|"
        r"\b(?:max|maximum|most)\b[^.?!]{0,30}\b(?:i|you|he|she|we) (?:can|could|should) (?:take|"
        r"have|use|drink|give)\b|\bdouble up\b|\bhow strong (?:should|do|can|would|is too)\b|"
        r"\d++(?:[.,]\d++)?\s*" + AMOUNT + r" per (?:cup|glass|liter|litre|serving|bottle|day)\b|"
        r"\bevery \d++ (?:hours?|hrs?)\b|\bhours? apart\b|\bspace (?:out|them|it)\b|"
        r"\bhow long (?:do|should|must|to) (?:i |you |we )?wait\b|"
        r"\b(?:take|dose|use)\b[^.?!]{0,30}\b(?:in the )?(?:morning|night|evening|bedtime)\b"
        r"[^.?!]{0,15}\bor\b|\b(?:dose|dosage) of [\w-]++ (?:for|to)\b|\b(?:give|tell) (?:me|us) "
        r"(?:the|a|some|an) (?:grams|mg|number|milligrams)\b|\btaper (?:[\w-]++ ){0,2}off\b"
        r"[^.?!]{0,30}\d|\bmicrodos|\bexact (?:amounts?|doses?|dosage)\b|\bratio\b[^.?!]{0,40}"
        r"\b(?:should|mix|take|use)\b|^\W*(?:grams?|mg|ml|pills?|capsules?)\s+(?:of\s+)?[\w-]++\W*$|"
        r"\b(?:what|which) (?:strength|concentration)\b|\bqu[eé] concentraci[oó]n\b|"
        r"\ba qu[eé] hora (?:tomo|tomar|debo|le doy)\b|\bpuedo (?:tomar(?:me)?|beber(?:me)?|usar) "
        r"(?:una|un|dos|tres|\d++)\b|\b(?:would that be|is that in|that would be)\b[^.?!]{0,20}"
        r"\b(?:in )?(?:grams|mg|buprenorphine|kratom|methadone)\b|\bhow much [\w-]++ would that be\b|"
        r"\btaper\b[^.?!]{0,20}\b(?:last|take)\b[^.?!]{0,20}\b(?:i'?m at|from) \d",
    ),
    unless=(*UNLESS, OUTCOME),
    where=ASKING,
    examples=(
        "i'm on 16mg of suboxone, can i go lower",
        'i take 8 grams a day, how do i cut down',
    ),
    near_misses=(
        'does microdosing buprenorphine while still using fentanyl work',
        'bernese method low dose start do people still get precipitated',
        "i'm on 60mg methadone, is it dangerous to drink alcohol on it",
    ),
),
Rule(
    "dosing_material",
    any_of=(
        r"\b(?:dose|dosing|dosage) (?:guide|table|chart|schedule|calculator|instructions|regimen|"
        r"protocol|plan|amount|recommendations?|info)\b|^(?:what )?(?:the )?(?:dose|dosage|dosing)"
        r"\W{0,4}(?:pl[sz]|please|\?)*\W*$",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'kratom dosage chart',
        'dose guide for tramadol',
    ),
    near_misses=(
        "why won't you give me a dosing chart",
    ),
),
Rule(
    "dose_judgement",
    any_of=(
        r"\b\d++(?:[.,]\d++)?\s*(?:-|to)?\s*\d*+\s*" + AMOUNT
        + r"\b(?:(?! and (?:he|she|they|i|we|it|his|her|then)\b| for when\b| when (?:it|i|he|she|"
        r"they) )[^.?!]){0,60}\b(?:too much|"
        r"too many|too little|too strong|safe|enough|ok|okay|fine|dangerous|a lot(?! of)|too high|too low|"
        r"high|low|normal|strong|weak|alright|bad|risky|overdose|kill|work|help|right|correct|"
        r"too often)\b|\b(?:too much|too many|too often|is (?:that|this|it) (?:ok|okay|safe|too "
        r"much|right|normal))\b\W{0,3}[^.?!]{0,40}\b\d++(?:[.,]\d++)?\s*" + AMOUNT + r"\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        DOSE_AT_THE_END,
        'is 10 grams too much',
        '8mg of suboxone is that safe',
    ),
    near_misses=(
        PASTED_LETTER,
        'my neurologist prescribed 50 mg tablets which work well for me',
    ),
),
Rule(
    "dose_judgement_2",
    any_of=(
        r"(?:^|[.?!,;]\s*+|\b(?:so|and|but|also|like)\s++)(?:is|are|would|will|can)\b[^.?!]{0,20}"
        r"\b\d++(?:[.,]\d++)?\s*" + AMOUNT + r"\b|"
        r"\b(?:is|are) (?:one|two|three|four|a couple of|a couple|a few|\d++) (?:[\w-]++ ){0,2}"
        r"(?:ok|okay|safe|fine|too much|too many|alright|a problem)\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'is 4 mg ok',
        'are two pills too much',
    ),
    near_misses=(
        'she is on lisinopril 10 mg and metformin',
        'is the 4 mg naloxone nasal spray available without a prescription',
    ),
),
Rule(
    "dose_judgement_3",
    any_of=(
        r"\b(?:should|can|could|may|do) (?:i|you|we|he|she|they|my \w++) (?:take|use|have|give "
        r"(?:him|her|them)?)\s*(?:\d++(?:[.,]\d++)?|one|two|three|four|half|a half)\s*(?:"
        + AMOUNT + r"|[\w-]++ (?:instead|rather|at once|together)|instead|at once)",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'should i take 2 pills',
        'can i take half instead',
    ),
    near_misses=(
        'can i take two weeks off',
    ),
),
Rule(
    "dose_change",
    any_of=(
        r"\b(?:should|can|could|do) (?:i|you|we|he|she|they|my \w++) (?:take|use|have|do) "
        r"(?:more|less|another|a second|a double|double|extra|half|a bigger|a smaller|a higher|"
        r"a lower)\b|\b(?:double|increase|(?<!bring )(?<!brought )(?<!bringing )up|raise|lower|reduce|cut|decrease|halve|split) "
        r"(?:my|the|his|her|their|your) (?:[\w-]++ )?(?:dose|dosage|methadone|buprenorphine|kratom|"
        r"oxycodone|meds|medication|script)\b(?! (?:is|was|means))",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'should i take more',
        'can i double my dose',
        'should i increase my methadone',
    ),
    near_misses=(
        'how do i bring up my kratom use with my doctor',
    ),
),
Rule(
    "frequency",
    any_of=(
        r"\b(?:safe|right|best|recommended|normal|good|usual) (?:frequency|interval|dosing "
        r"interval)\b|"
        r"\bhow (?:often|frequently|many times)\b[^.?!]{0,40}\b(?:take|use|dose|redose|re-dose|"
        r"give|a day|per day|daily)\b|\bevery how many hours\b|\bhow (?:long|many hours) "
        r"(?:between|apart|should i wait between)\b[^.?!]{0,30}\b(?:doses?|taking)|"
        r"\bwhen (?:should|can|do) (?:i|he|she|we|they) (?:take|redose|re-dose|dose|start)\b"
        r"[^.?!]{0,40}\b(?:again|next|another|buprenorphine|methadone|kratom|dose|after)\b|"
        r"\b(?:best|right|what|which) time (?:of (?:the )?day )?(?:to|should i) (?:take|dose|use)\b|"
        r"\b(?:is it (?:ok|okay|safe|fine|bad)|can i|should i|es seguro)\b[^.?!]{0,40}\b(?:take|use|"
        r"tomar|usar)\b[^.?!]{0,30}\b(?:every day|everyday|daily|twice a day|\w++ times a day|every "
        r"\d++ hours|al d[ií]a|cada d[ií]a|todos los d[ií]as)\b|"
        r"\bhow long (?:after|before|should i wait)\b[^.?!]{0,60}\b(?:take|start (?:taking|on|the|"
        r"my|buprenorphine|suboxone|subs|methadone|kratom)|first dose|dose|begin taking)\b|\b(?:\d++|one|two|three|four|five|six|several) times (?:a|per) (?:day|week)\b"
        r"[^.?!,]{0,30}\b(?:too (?:often|much|many)|ok|okay|safe|fine|normal|bad)\b",
    ),
    unless=(*UNLESS, OUTCOME),
    where=ASKING,
    examples=(
        'how often should i take kratom',
        'how long between doses of methadone',
    ),
    near_misses=(
        'how often do low dose buprenorphine inductions cause precipitated withdrawal',
        'how long after stopping kratom do withdrawal symptoms start',
    ),
),
Rule(
    "taper_plan",
    any_of=(
        r"\bmy taper be\b|\b(?:taper|tapering|wean|weaning|step down|come down|coming down|cut down|"
        r"reduce|get off|"
        r"jump(?:ing)? off|come off|coming off)\b[^.?!]{0,60}"
        r"\b(?:schedule|plan|chart|calendar|timeline|week by week|day by day|per week|per day|"
        r"how much|by how much|"
        r"each (?:day|week))\b|\b(?:schedule|plan|chart|steps)\b[^.?!]{0,30}\b(?:taper|tapering|"
        r"wean|weaning|to get off|to quit|to come off|for (?:getting|coming|jumping) off)\b|"
        r"\bhow (?:do|should|can|would) (?:i|you|we|he|she|they) (?:taper|wean)\b(?! (?:the )?(?:legs|"
        r"jeans|pants|trousers|sleeves|hair|sides|edges|candles?|a (?:pipe|shaft)))|"
        r"\bhow (?:fast|quickly|slowly|much) (?:can|should|do) (?:i|we|you) (?:come|get|go|taper|"
        r"cut|drop|step) (?:down|off)?|\b(?:fastest|quickest|best|safest) (?:taper|way to taper|"
        r"wean)\b(?! fade| haircut)|\b(?:can|should|could) (?:i|we|he|she) (?:go|drop|jump|switch|"
        r"cut|step) (?:straight |right |directly )?(?:down )?to \d|\b(?:give|make|write|build|"
        r"create) (?:(?:me|us|him|her) (?:a |an )?|a |an )(?:\d++[- ]"
        r"(?:day|week) )?(?:[\w-]++ )?(?:taper|tapering|weaning|dosing|dose)\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'make me a taper plan',
        'give me a taper schedule for kratom',
        'how do i taper off suboxone',
    ),
    near_misses=(
        'do other medicines make high dose loperamide more dangerous',
        'how do i taper my jeans',
        "i'm not asking you for a taper plan, what does the research say",
    ),
),
Rule(
    "conversion",
    any_of=(
        r"\b(?:convert|conversion|equivalent|equals?|equal to|same as|replace|replacing|"
        r"substitute|switch)\b[^.?!]{0,80}\b\d++(?:[.,]\d++)?\s*" + AMOUNT + r"(?! (?:in|per) (?:a|"
        r"an|one) )|\b\d++(?:[.,]\d++)?\s*"
        + AMOUNT + r"\b[^.?!]{0,80}\b(?:convert|conversion|equivalent|equals?|equal to|same as|"
        r"replace|substitute|in (?:kratom|grams|mg))\b|\b(?:conversion|equivalen(?:t|cy)) "
        r"(?:chart|table|ratio|rate|calculator)\b|\b(?:conversion|convert)\b[^.?!]{0,40}\b(?:to|"
        r"into|from|between)\b[^.?!]{0,30}\b(?:kratom|methadone|buprenorphine|oxycodone|morphine|"
        r"fentanyl|heroin|hydrocodone|tramadol|codeine|7-hydroxymitragynine|mg|grams?|doses?)\b|"
        r"\b(?:mg|grams?) (?:of [\w-]++ )?per (?:gram|kg|pound|lb|capsule|pill|"
        r"kilo)\b|\bin (?:grams|mg|milligrams)\b|\b[\w-]++ to [\w-]++ conversion\b|\b(?:grams?|mg) "
        r"of [\w-]++ for \d",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'convert 30mg oxycodone to kratom',
        'methadone to buprenorphine conversion chart',
    ),
    near_misses=(
        'convert 5 miles to km',
    ),
),
Rule(
    "max_per_day",
    any_of=(
        r"\b(?:max|maximum|most|limit)\b[^.?!]{0,30}\b(?:per|a|in a|each) day\b|"
        r"\b(?:daily|day) (?:max|maximum|limit)\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'max kratom per day',
        'daily limit for tylenol',
    ),
    near_misses=(
        'maximum cups of flour per day in a baking recipe',
    ),
),
Rule(
    "dosing_other_language",
    any_of=(
        r"\b(?:combien|wie ?viele?|quant[oaie]|quantos|quantas)\b[^.?!]{0,60}\b(?:prendre|nehmen|"
        r"prendere|dose|dosis|gramm\w*+|grammes?|grammi|mg)\b|\b(?:dosierung|posologie|dosaggio|"
        r"dosagem)\b|\bmy taper\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'combien de kratom prendre',
        'wie viel gramm kratom',
    ),
    near_misses=(
        'combien coûte le kratom',
    ),
),
Rule(
    "dosing_es_more",
    any_of=(
        r"\b(?:\d++|dos|tres|cuatro|cinco|seis) veces (?:al|por) d[ií]a\b|\bcu[aá]nto (?:le )?(?:bajo|"
        r"reduzco|quito|subo)\b|\b(?:bajo|reduzco|quito) (?:cada|por) semana\b",
    ),
    unless=UNLESS,
    where=ASKING,
    examples=(
        'tres veces al día está bien',
        'cuánto le bajo cada semana',
    ),
    near_misses=(
        'dos veces por semana voy al gimnasio',
    ),
),
Rule(
    "dosing_es",
    any_of=(
        r"\bcu[aá]nt[oa]s? " + AMOUNT + r"|\bcu[aá]nt[oa]s?\b(?! (?:tiempo|d[ií]as|horas|semanas|"
        r"meses|a[nñ]os|personas|cuesta|vale))[^.?!]{0,60}\b(?:debo|puedo|tengo que|"
        r"hay que|se (?:debe|puede)|se le da|le doy|le puedo dar|tomo|tomar|uso|usar|doy|dar|debe|"
        r"deber[ií]a|necesita|puede|toma|bajar|reducir|"
        r"necesito|es seguro|es mucho|es demasiado|al d[ií]a|por d[ií]a|para)\b|\bqu[eé] dosis\b|"
        r"\bcu[aá]l es la dosis\b|\bcu[aá]nto tiempo (?:espero|debo esperar|hay que esperar|tengo "
        r"que esperar|entre)\b|\b(?:dame|deme|dime|d[ií]game|recomi[eé]ndame|necesito) "
        r"(?:una |la )?dosis\b|\bdosis (?:correcta|segura|inicial|recomendada|m[aá]xima|diaria|"
        r"normal|t[ií]pica)\b|\bdosis\b[^.?!]{0,30}\bpara (?:principiantes|empezar|comenzar|dormir|"
        r"el dolor|la abstinencia)\b|\bcada cu[aá]nt[oa]s?\b|\bcu[aá]ntas veces al d[ií]a\b|"
        r"\b(?:plan|calendario|horario) (?:para|de) (?:dejar|reducir|bajar|desintoxic)|"
        r"\bdame un (?:plan|calendario|horario)\b|\b(?:reduzco|reducir|reduce|bajo|bajar|baja|dejo|"
        r"dejar|quito|quitar)\b[^.?!]{0,40}\bpoco a poco\b|"
        r"\b(?:convertir|equivale|equivalente|reemplazar|sustituir|cambiar)\b[^.?!]{0,40}\b\d++(?:[.,]"
        r"\d++)?\s*" + AMOUNT + r"|\bes (?:mucho|demasiado|poco|seguro|peligroso)\b[^.?!]{0,20}"
        r"\d++(?:[.,]\d++)?\s*" + AMOUNT + r"|"
        r"\b\d++(?:[.,]\d++)?\s*" + AMOUNT + r"\b[^.?!]{0,40}\b(?:es mucho|es demasiado|es seguro|"
        r"es peligroso|est[aá] bien|es poco|alcanza|basta)",
    ),
    unless=(*UNLESS, CHECKUP),
    where=ASKING,
    examples=(
        'cuántos gramos de kratom debo tomar',
        'qué dosis de suboxone',
    ),
    near_misses=(
        'el naloxone se vence, cada cuánto hay que cambiarlo',
        '¿cada cuánto me tengo que revisar los ojos y los pies?',
        'cuánto tiempo dura la abstinencia',
        'cuántas tazas de harina lleva el pastel',
    ),
),
)
