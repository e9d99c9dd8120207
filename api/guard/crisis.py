"""Crisis rules, in order: an emergency happening now, intent to die or self-harm, a child or
pet that swallowed a drug, a question about a lethal amount. Written for recall: a rule that
fires decides. Each rule names the messages it must and must not fire on."""

from __future__ import annotations

import re

from api.guard.rules import Pattern, Rule, matches, matches_without, remembered
from api.guard.text import TAIL_CHARS
from api.guard.words import CORE, GAME, KID, PAST, TECH, WHO

GENERAL = (
    r"^\W*(?:how (?:do|can|would|will) (?:i|you|we|people) (?:know|tell|recogni[sz]e|spot)|"
    r"how to (?:tell|know|recogni[sz]e|spot)|what (?:are|r) (?:the )?(?:signs|symptoms)|"
    r"(?:signs|symptoms) of|what (?:should|do) (?:i|you|we) do (?:if|when)|why (?:do|does|are|is)|"
    r"qu[eé] (?:le )?pasa (?:a alguien|si|cuando|con)|c[oó]mo (?:s[eé]|saber|reconocer)|"
    r"qu[eé] (?:debo|hay que|tengo que|se debe|puedo) hacer (?:en general )?(?:si|cuando)|"
    r"cu[aá]les son (?:los )?(?:signos|s[ií]ntomas))\b|"
    # ... or anywhere: the steps to take if someone ever overdoses ("I'm making a leaflet for
    # parents: what are the steps if someone has an opioid overdose?")
    r"\b(?:cu[aá]les son|what are) (?:los|the) (?:pasos|steps) (?:a seguir |to take )?(?:si|if|"
    r"cuando|when) (?:alguien|someone|somebody|a person|una persona)\b")
SUICIDE_QUESTION = (
    r"\b(?:can|does|do|could|will|why (?:do|does|can))\b[^.?!]{0,50}\b(?:make|makes|cause|"
    r"causes|lead to|leads to)\b[^.?!]{0,20}\b(?:you|people|someone|a person|them)\b"
    r"[^.?!]{0,15}\bsuicidal\b")
PAST_OR_GENERAL = (
    r"\b(?:last (?:month|year|week|summer|winter)|years? ago|months? ago|weeks? ago|in the past|"
    r"(?:and|but) (?:was|is|they were|he was|she was) (?:fine|ok|okay)|i'?m (?:ok|okay|fine|"
    r"better|safe) now|used to be|risk|rates?|statistics|common|prevention|hotline|lifeline|"
    r"988|line (?:only|just)|only for|number|helpline|phone)\b")
# "No trouble breathing", "it turned out to be...": a symptom denied or a past event retold.
FINE_OR_TOLD = (
    r"\b(?:hasn'?t|haven'?t|hadn'?t|never|not) (?:had|been having) (?:a )?(?:seizure|fit)|"
    r"\bseizures? in (?:\w++ ){0,2}(?:years?|months?)\b|\bbreathe? on (?:his|her|their|its) own\b|"
    r"\b(?:icu|intensive care|ventilator|intubated|life support|ltach|admitted)\b|"
    r"\b(?:days?|hours?|weeks?|months?) later\b|\bpassed away\b|"
    r"\bno (?:trouble|problems?|difficulty|issues?|shortness of breath) (?:with )?breath|"
    r"\bbreathing (?:is |seems |has been )?(?:fine|normal|ok|okay)\b|\bturned out (?:to be|it was)\b|"
    r"\blast (?:mon|tues|wednes|thurs|fri|satur|sun)day\b")
# A second dose asked about with nothing wrong: a dose judgement, not an emergency.
REDOSE = matches_without(
    r"\b(?:(?:can|could|should|may) (?:i|he|she|we|they)|(?:am i|is it|are we) (?:ok|okay|safe|"
    r"fine|alright) to) (?:take|have|do|use) (?:another|more|again|a second|some more|"
    r"(?:\d++(?:[.,]\d++)?|one|two|three|four|five|half) ?(?:[\w-]++ )?more|\d++(?:[.,]\d++)?)\b|"
    r"\b(?:take )?(?:\d++|one|two|three|four|half) more\b[^.?!]{0,25}(?:\?|\b(?:ok|okay|safe|fine|"
    r"alright)\b)|\bwhat would (?:a|the|that) [\w -]{0,30}\b(?:be|equal|equivalent)\b|"
    r"\b(?:equivalent|convert|conversion)\b",
    r"breath|wake|blue|grey|gray|chest|faint|confus|passing out|passed out|seiz|vomit|throwing "
    r"up|can'?t stand|dizzy|heart|pulse|scared|help")
# "What do blue lips mean in an overdose?": a question about the signs, not one happening.
SIGN_MEANING = r"^\W*(?:what (?:do|does)|why (?:do|does))\b[^.?!]{0,50}\b(?:mean|happen)\b"
# "What number should people call if someone can't breathe?": which line to call, asked in
# general; "what number do I call, he's not breathing" names no one in general and stays a crisis.
WHICH_NUMBER = (
    r"\b(?:what|which) (?:number|phone|line|hotline)\b[^.?!]{0,60}\b(?:if|when) (?:someone|"
    r"somebody|a person|people|you|they|anyone)\b|\bis (?:that|this) a (?:thing|known thing)\b")
# "How can you tell when a person has taken a fatal amount?": a question about the signs, not
# about the amount (one that also asks how much, or what amount, is still a lethal-amount one).
SIGNS_OF_IT = matches_without(
    r"^\W*(?:how (?:do|can|would|will) (?:i|you|we|people) (?:know|tell|recogni[sz]e|spot)|"
    r"how to (?:tell|know|recogni[sz]e|spot)|what (?:are|r) (?:the )?(?:signs|symptoms))\b"
    r"[^.?!]{0,20}\b(?:when|if|that) (?:a person|someone|somebody|people|he|she|they|you)\b",
    r"\bhow (?:much|many)\b|\bwhat (?:amount|dose|quantity)\b|\benough\b")
# Games and computers use the same words ("kill the process", "lethal dose mechanic").
GAME_OR_TECH = matches_without(f"{GAME}|{TECH}", CORE)

# A long message that retells a medical event (a death, a stay in hospital, an operation, a
# diagnosis), names no opioid, kratom or overdose, and says nothing is happening now at its
# end: a story ("he couldn't catch his breath and collapsed; the coroner said it was a clot"),
# not an emergency. Read on the whole message (Rule.unless_story); the learned layer still
# reads the message's end.
TOLD_EVENT = (
    r"\b(?:passed away|died|dying|death|funeral|autopsy|coroner|icu|intensive care|ventilator|"
    r"life support|intubat\w*+|hospital\w*+|admitted|discharged|surgery|operation|operated|"
    r"stroke|heart attack|cardiac arrest|stents?|cpr|paramedics|emergency room|a&e|diagnosed|"
    r"diagnosis|biopsy|miscarriage|laparoscopy|scan|falleci\w*+|muri[oó]|terapia intensiva|uci|"
    r"urgencias|infarto|operaron|cirug[ií]a|internad[oa]|diagn[oó]stic\w*+|intubaron)\b")
STORY_DRUG = (
    r"opioid|opiate|kratom|mitragyn|7-hydroxy|heroin|fentanyl|oxy|hydrocodone|percocet|vicodin|"
    r"morphin|codeine|tramadol|methadone|buprenorphine|suboxone|naloxone|narcan|\bdope\b|"
    r"overdos|\bod\b|\bod'?d\b|nodd(?:ed|ing)|sobredosis|\btook (?:a bunch|a lot|all|too many|a "
    r"handful|way too)\b|\bpills\b|pastillas|\b(?:i|he|she|they|we) (?:just )?(?:used(?! (?:the|a|an|to|his|"
    r"her|their|our|my)\b)|took something|snorted|smoked|shot up|injected)\b|\bafter using\b")
NOW_AT_END = (
    r"\b(?:right now|just now|at the moment|currently|this (?:minute|second)|911|ambulance|"
    r"what (?:do|should|can) (?:i|we) do|hurry|ahora mismo|en este momento|qu[eé] hago|"
    r"tonight|esta noche|just (?:took|used|collapsed|passed out))\b|\bnow (?:he|she|they|it|my "
    r"\w++)(?:'s| is| are|'re| won'?t| can'?t| isn'?t)|\b(?:is|are|isn'?t|is not|won'?t|can'?t|"
    r"keeps?)\b[^.?!]{0,30}\bnow\b")
_TOLD, _STORY_DRUG, _NOW = Pattern(TOLD_EVENT), Pattern(STORY_DRUG), Pattern(NOW_AT_END)


@remembered
def story(text: str) -> bool:
    """A long message retelling a medical event, with no drug named and nothing happening now
    in its last sentences."""
    return (_TOLD.search(text) and not _STORY_DRUG.search(text)
            and not _NOW.search(text[-TAIL_CHARS:]))


# A long message that tells an emergency as a thing of the past ("last October... her lips were
# blue", "two years ago I overdosed and wasn't breathing") and ends asking something, with
# nothing happening at its end: a story, drug named or not. A time in the past must be named,
# and the last sentences may hold no sign of an emergency now, so "...and now he is not
# breathing" at the end keeps the message a crisis (the learned layer reads the end too).
PAST_TIME = (
    r"\b(?:last (?:month|year|week|weekend|summer|winter|spring|autumn|fall|semester|night|"
    r"christmas|january|february|march|april|may|june|july|august|september|october|november|"
    r"december)|(?:a|one|two|three|four|five|six|several|few|\d++) (?:years?|months?|weeks?) "
    r"ago|years? ago|months? ago|in (?:19|20)\d\d|back in|when i was (?:a |in |younger|\d)|"
    r"el (?:a[nñ]o|mes) pasado|hace (?:\w++ )?(?:a[nñ]os?|meses|semanas)|en (?:enero|febrero|"
    r"marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)|"
    # ... or a thing that happens again and again, or that someone told
    r"every time|whenever|a few times|twice|in the past|over the (?:years|last)|for (?:years|"
    r"months)|used to|(?:told|sent) me|i (?:read|heard|saw) (?:an?|that|about|somewhere)|"
    r"cada vez que|me (?:dijo|contaron))\b")
EMERGENCY_NOW = (
    r"\b(?:is|are|isn'?t|aren'?t|'s|'re|keeps?|still|now|won'?t|can'?t|cannot|not) (?:\w++ )?"
    r"(?:breath\w*+|wak\w*+|respond\w*+|blue|gr[ae]y|purple|seiz\w*+|convuls\w*+|unconscious|"
    r"unresponsive|cold|gurgl\w*+|moving)|\b(?:want|going|gonna|plan\w*+|ready) to (?:die|end|kill|"
    r"hurt)|\bthinking (?:about|of) (?:ending|killing|suicide|dying)|\bagain\b|"
    # ... or a moment ago: the story is happening now
    r"\b(?:\d++|a|a few|few|five|ten|fifteen|twenty|thirty) (?:minutes?|mins?) ago\b|"
    r"\ban hour ago\b|\bjust now\b|\btonight\b|\bthis (?:morning|evening|afternoon)\b|"
    r"\bcan'?t get (?:him|her|them) to\b|hace (?:un rato|unos minutos|\d++ minutos)|"
    r"no respira|no despierta|no reacciona|ahorita|auxilio")
# What may follow a story's last question (thanks, a name, a signature), and what may not: any
# word of something happening, a cry for help.
AFTER_THE_QUESTION = (
    r"\b(?:just (?:took|ate|swallowed|used|drank|collapsed|fell|passed|found|now|happened|"
    r"started|stopped)|now|suddenly|wait|omg|oh god|took|ate|swallowed|drank|fell|collapsed|"
    r"passed out|shak\w*+|seiz\w*+|breath\w*+|wak\w*+|blue|gr[ae]y|chest|heart|dying|die|kill|"
    r"overdos\w*+|help (?:me|us|him|her|please)|please help|ahora|acaba de|se tom[oó]|tom[oó]|"
    r"comi[oó]|respira\w*+|despierta|dios m[ií]o|ayuda)\b|\bhelp\W*+$|!!")
# "I'm not in an emergency": said after the question, it is what the sign-off is about.
NOT_NOW = (
    r"\b(?:i'?m |we'?re |i am |this is )?not (?:in )?(?:an? )?(?:emergency|crisis|current "
    r"situation|happening now)|\bnot asking about (?:a |any )?(?:current|real)|\b(?:this is )?"
    r"(?:all )?for (?:a|the|my|our) (?:training|class|presentation|project|paper|course|talk)\b")
# A question asked without "?": "I'd like to know whether...", "quisiera saber si...".
ASKED = (
    r"\?|\b(?:i(?:'d| would) like to know|i (?:want|wanted) to (?:know|understand|ask)|"
    r"i'?m wondering|wondering (?:if|whether)|can you (?:tell|explain)|quisiera saber|"
    r"me gustar[ií]a saber|quiero saber)\b")
_PAST_TIME, _EMERGENCY_NOW = Pattern(PAST_TIME), Pattern(EMERGENCY_NOW)
_AFTER_THE_QUESTION, _NOT_NOW = Pattern(AFTER_THE_QUESTION), Pattern(NOT_NOW)
_ASKED = re.compile(ASKED)


@remembered
def past_story(text: str) -> bool:
    """A long message telling an emergency of the past (a time named: PAST_TIME) that ends with
    a question, followed at most by a short sign-off, and holds no emergency in its last
    sentences."""
    end = text[-TAIL_CHARS:]
    asked = [m.end() for m in _ASKED.finditer(end)]
    if not asked or not _PAST_TIME.search(text):
        return False
    after = end[asked[-1]:]
    if _EMERGENCY_NOW.search(end) or len(after) > 200:
        return False
    return bool(_NOT_NOW.search(after)) or not (_AFTER_THE_QUESTION.search(after)
                                                or _NOW.search(end))


# A long story of a death in hospital (no drug, nothing happening now), and an overdose told
# at the end of a long story about a stay in hospital.
HOSPITAL_STORY = (
    "My uncle passed away last month in hospital after a fall at home. He was 78 and had heart "
    "failure. On his second night on the ward he told the nurse he couldn't breathe properly, "
    "and a few minutes later he collapsed and was not breathing; they did CPR for half an hour "
    "but he never woke up. His lips had gone blue, my aunt says. The doctors said it was "
    "probably a clot in his lungs. She keeps asking whether the hospital should have given him "
    "blood thinners sooner. What is a pulmonary embolism, how often does it happen after a fall, "
    "and can families ask for a review of his care?")
OVERDOSE_AFTER_A_STORY = (
    "My dad was in intensive care last year after a heart attack and I have looked after him "
    "since he was discharged. He takes a lot of tablets and I keep a chart of them on the "
    "fridge. His cardiologist is happy with him and he walks every morning now. I came to stay "
    "with him this week because my brother moved back in too, and the house is crowded. Sorry, "
    "I'm typing fast: my brother used heroin in the bathroom and he is not breathing, his lips "
    "are blue.")

# "I don't have any thoughts of harming myself": self-harm denied. Silences `self_harm` only
# where, with the denial taken out, nothing else in the message is self-harm wording.
_DENIAL = re.compile(
    r"\b(?:no|not any|(?:do not|don'?t|never) (?:have|had) (?:any )?|without (?:any )?)"
    r"(?:thoughts?|ideas?|plans?|intentions?|urges?) (?:of|about|to) (?:harming|hurting|killing|"
    r"harm|hurt|kill) (?:myself|my ?self)\b|\b(?:i'?m|i am) not (?:suicidal|going to (?:hurt|harm|"
    r"kill) myself)\b")


@remembered
def self_harm_denied(text: str) -> bool:
    found = _DENIAL.search(text)
    if not found:
        return False
    rest = text[:found.start()] + text[found.end():]
    return not next(r for r in RULES if r.name == "self_harm").fires((rest,))


RULES: tuple[Rule, ...] = (
Rule(
    "overdose_signs",
    any_of=(
        rf"\b{WHO}\b[^.?!]{{0,60}}\b(?:(?:is|isn't|isnt|are|aren't|not|stopped|barely|can't|cant|"
        r"won't|wont|struggling|trouble|hardly)\s+(?:really\s+)?breath(?:ing|e)|unresponsive|"
        r"(?:won't|wont|can't|cant|not|doesn't|isn't|isnt) (?:wake|waking|respond|moving|move|"
        r"answering)|is (?:cold|ice cold) and|"
        r"passed out|unconscious|(?:lips|face|fingers?|skin) (?:are |is |turning |went |look )?"
        r"(?:blue|purple|grey|gray)|turning (?:blue|purple|grey|gray)|gurgling|"
        r"(?:having|had|has) (?:a )?(?:seizure|seizures|fit)\b(?! (?:a while|years?|before|once|"
        r"last|from))|seizing|convuls|collapsed|slumped|foam(?:ing)? (?:at|around|from)|"
        r"(?:shaking|jerking|twitching)[^.?!]{0,40}(?:on the floor|can'?t stop|won'?t stop))",
    ),
    unless=(matches(PAST), GAME_OR_TECH, matches(FINE_OR_TOLD), matches(WHICH_NUMBER)),
    unless_story=(story, past_story),
    examples=(
        OVERDOSE_AFTER_A_STORY,
        'my boyfriend is not breathing after he used',
        "what number do i call, my friend is not breathing",
        "she's unresponsive and her lips are blue",
        'my friend collapsed and is making gurgling sounds',
    ),
    near_misses=(
        HOSPITAL_STORY,
        'my friend had trouble breathing once last year after using',
        'i have no trouble breathing but my leg is swollen and red',
        'what number should people call if someone has trouble breathing after using drugs',
        'my friend had a seizure after taking kratom every day is that a thing',
    ),
),
Rule(
    "overdose_now",
    any_of=(
        r"\b(?:not breathing|stopped breathing|breathing stopped|seizing|"
        r"(?:just|has|have) overdosed|overdosed in front|i (?:swallowed|ate|chewed) (?:a|the|my|"
        r"some|an)\b[^.?!]{0,30}\b(?:patch|pills?|fentanyl|tablets?|gummies)|pile of pills|"
        r"no pulse|can'?t find (?:a|his|her|their) pulse|won't wake up|barely breathing|"
        r"breathing (?:like |about |only )?(?:\d|one|two|three|four|five|six)\w*+ (?:times|breaths?) "
        r"(?:a|per) minute|\d++ breaths? (?:a|per) minute|"
        r"breathing (?:is )?(?:so |really |very )?(?:slow|funny|shallow|weird)|hard to wake|"
        r"can'?t get (?:him|her|them) to (?:open|wake|respond)|eyes rolled back|bluish|"
        r"(?:fell|fallen) over and (?:is )?(?:twitching|shaking)|chest is crushing|heart is (?:gonna|"
        r"going to) explode|chest (?:started |is |keeps )?hurting|(?:think|thinks|might have|may "
        r"have) (?:he|she|they|it) (?:swallowed|ate)|(?:had|put) (?:a |the )?[\w-]++ (?:[\w-]++ )?"
        r"(?:capsule|pill|patch|tablet|gummy)s? in (?:his|her|their) mouth|"
        r"(?:by mistake|accidentally|accidental|twice|double|together)\b[^.?!]{0,80}\b(?:dizzy|"
        r"confused|can'?t stand|breathing|sleepy|won'?t wake|vision|passing out)|"
        r"breathing (?:is )?shallow|shallow breathing|pinpoint pupils|is this an od|"
        r"can'?t (?:keep|get) (?:him|her|them) (?:awake|to answer)|(?:sleepy|limp) and floppy|"
        r"floppy and (?:sleepy|limp|won'?t)|(?:head|chin) keeps (?:dropping|falling|nodding)|"
        r"(?:lips|face|skin) (?:look |looks |are |is |went |turning )?dusky|slumping over|"
        r"(?:breathing|he|she|they) (?:is )?making (?:a |this )?(?:snoring|gurgling|choking) "
        r"(?:noise|sound)|taken a load of pills|"
                r"(?:hard|impossible) to rouse|(?:won'?t|can'?t|cannot) (?:rouse|be roused)|pupils (?:are |"
        r"look |went )?(?:tiny|pinpoints?|like pinpoints)|(?:a|one) breath every "
        r"(?:\w++ )?(?:\d++ )?seconds|"
        r"(?:naloxone|it) (?:isn'?t|is not|not) working|still blue|(?:feel|feeling) like (?:i'?m )?"
        r"passing out|passed out cold|can barely (?:stand|breathe|move)|confused,? (?:and )?can'?t|"
        r"throwing up,? (?:and )?confused|"
        r"can't wake (?:him|her|them|my)|blue lips|lips (?:are|turning|went) (?:blue|grey|gray)|"
        r"overdos(?:e|ing) (?:is )?happening|overdosing (?:right )?now|od'?ing (?:right )?now|"
        r"having a seizure (?:right )?now|took too (?:much|many)|"
        r"\btook (?:\d++|a lot|a bunch|way too|too|all (?:my|of my|the|his|her))\b|"
        r"breathing (?:feels|is|seems) (?:weird|slow|"
        r"shallow|funny|wrong|strange)|can'?t keep my eyes open|heart is (?:pounding|racing)"
        r"[^.?!]{0,40}(?:confused|can'?t|faint|chest)|i'?m (?:scared|afraid) i (?:took|overdosed))",
    ),
    unless=(matches(PAST), REDOSE, matches(SIGN_MEANING)),
    unless_story=(story, past_story),
    examples=(
        "she's floppy and sleepy and i can't keep her awake",
        'his head keeps dropping and his face looks dusky',
        'she is really hard to rouse and her pupils are tiny',
        "he's only taking one breath every few seconds",
        OVERDOSE_AFTER_A_STORY,
        "he took too many pills and won't wake up",
        'i think i overdosed, my breathing is so slow',
        "the naloxone isn't working, what do i do",
    ),
    near_misses=(
        HOSPITAL_STORY,
        'took 3 grams earlier, can i take another 3 now? i feel fine',
        'what do pinpoint pupils mean in an overdose',
    ),
),
Rule(
    "overdosing",
    any_of=(
        r"\b(?:i'm|i am|he's|he is|she's|she is|they're|they are|someone is|my \w++ is|"
        r"think (?:i'm|he's|she's|it's)|it'?s an?) (?:overdosing|od'?ing|an overdose)\b",
    ),
    unless=(matches(GENERAL),),
    examples=(
        "i think he's overdosing",
        "my sister is od'ing in the bathroom",
    ),
    near_misses=(
        'how do i know if someone is overdosing',
    ),
),
Rule(
    "chest_pain_after_use",
    any_of=(
        r"\bchest (?:pains?|hurts|(?:is|has been|feels) (?:really |very |so )?(?:tight|hurting|"
        r"crushing|pounding)|tightness|pressure)\b[^.?!]{0,60}"
        r"\b(?:after|took|taking|used|using|since|smoking|snorting|kratom|opioid|oxycodone|"
        r"fentanyl|heroin|pills?|arm|overdosed|od'?d|breathe)\b(?![^.?!]{0,40}\b(?:once|last year|"
        r"a while|before|"
        r"known side effect|common)\b)|"
        r"\b(?:after|took|taking|used|using)\b[^.?!]{0,120}\bchest (?:pains?|hurts|is (?:really |"
        r"very |so )?(?:tight|hurting)|tightness|pressure)\b(?![^.?!]{0,40}\b(?:once|last year|a while|known side effect|"
        r"common)\b)",
    ),
    unless=(matches(r"\b(?:no|not any|without|haven'?t had|hasn'?t had|never had) (?:more )?"
                    r"chest (?:pain|tightness|pressure)"),),
    unless_story=(story, past_story),
    examples=(
        'chest pain after taking kratom',
        'i took oxycodone and now my chest is really tight',
    ),
    near_misses=(
        'my chest hurts from coughing all week',
    ),
),
Rule(
    "ingestion_child_or_pet_short",
    any_of=(
        r"\b\d++\s?(?:yo|y/o|yr|yrs|mo)\b[^.?!]{0,30}\b(?:ate|"
        r"swallowed|chewed|licked|got into|drank|took)\b",
    ),
    unless=(matches(PAST_OR_GENERAL),),
    unless_story=(story, past_story),
    examples=(
        '3 yo swallowed a pill',
        'my 2yo chewed something from my bag',
    ),
    near_misses=(
        'my 4 yo ate a pill years ago and was fine',
    ),
),
Rule(
    "ingestion_child_or_pet",
    any_of=(
        rf"\b{KID}\b(?:(?!\bi\b)[^.?!]){{0,40}}\b(?:ate|eaten|swallowed|got into|drank|chewed|chewing|licking|"
        r"sucking|eating|chup[oó]|"
        r"licked|took(?= (?:[\w'-]++ ){0,3}(?:pills?|tablets?|capsules?|gummies|patch(?:es)?|films?|"
        r"strips?|meds|medicines?|medication|drugs?|kratom|methadone|buprenorphine|fentanyl|"
        r"oxycodone|heroin|7-hydroxymitragynine|naloxone|some|a bunch|a few|several))|may have taken|"
        r"might have (?:eaten|swallowed|taken|licked)|may have "
        r"(?:eaten|swallowed|licked|chewed)|found and ate|got hold of|se trag[oó]|se comi[oó]|"
        r"se tom[oó]|comi[oó]|trag[oó]|lami[oó]|mordi[oó]|comerse|tragarse|acaba de (?:comer|"
        r"tragar))\b"
        # ... not a meal: "a baby, breastfeeding, eating ok", "her toddler nephew, she drank coffee"
        r"(?! (?:some |a |the |his |her |their |my |a lot of )?(?:ok|okay|well|fine|normally|food|"
        r"dinner|breakfast|lunch|snacks?|coffee|tea|wine|beer|water|milk|juice|formula|solids?|"
        r"cereal|fruit|less|properly|nothing|comida|leche|agua|bien)\b)",
        rf"\b{KID}\b.{{0,150}}\b(?:compartment|organi[sz]er|bottle|blister|packet|pack|box|"
        r"container|jar) (?:is|was|looks) (?:now |half |completely |all )?empty\b",
        rf"\b{KID}\b(?:(?!\bi\b)[^.?!]){{0,100}}\b(?:swallowed|se trag[oó]|se comi[oó]|chewed "
        r"(?:up|open|through)|ate (?:a lot|most|some|all|half|several|a bunch)|se tom[oó])\b|"
        r"\b(?:methadone|dose|pills?|kratom|buprenorphine|fentanyl|oxycodone|heroin|meds|"
        r"medicines?|drugs?|tablets?|powder)\b[^.?!]{0,80}\b(?:lapped|licked|slurped) (?:up )?(?:most|some|all|half|a lot)? ?(?:of )?(?:it|them|the|"
        r"my|his|her)\b[^.?!]{0,60}\b(?:stumbling|wobbl\w*+|drowsy|sleepy|limp|collapsed|"
        r"twitching|shaking|vomiting|not moving|won'?t wake)\b|"
        r"\b(?:bottle|pack|box|container|jar|bag|packet) (?:is |was )?(?:open|opened|ripped open)\b"
        r"[^.?!]{0,30}\b(?:empty|missing|gone|half gone)\b|\b(?:says|said) it tasted\b",
    ),
    unless=(matches(PAST_OR_GENERAL),),
    unless_story=(story, past_story),
    examples=(
        "i spilled my methadone and the puppy licked some of it up, now he's wobbly",
        'my toddler swallowed one of my suboxone strips',
        'our dog ate a bag of kratom powder',
        'mi hijo se tragó una pastilla',
    ),
    near_misses=(
        'the dog lapped up all the water in his bowl and is sleepy now',
        'so tired with a new baby, breastfeeding and eating ok, but my hair is falling out',
        'she was lifting her toddler nephew and her sister drank coffee',
        'is it harmful to the baby if i am not eating much',
        'what should parents do if a child swallowed a pill, is there a hotline number',
    ),
),
Rule(
    "self_harm",
    any_of=(
        r"\b(?:kill (?:my ?self|myself)|end (?:my life|it all|things|everything)|ending "
        r"(?:things|it all|my life|it)|(?:going|gonna|planning|plan|want|about|ready|thinking) "
        r"(?:to |of )?end(?:ing)? it\b|"
        r"(?:want|wanna|ready|plan(?:ning)?) to die|wanna die|(?:i'?m|im|i am|i) (?:\w++ )?"
        r"(?:going|gonna) to die|want to be dead|better off dead|"
        r"no reason to (?:live|go on)|don'?t want to (?:live|be alive|wake up|be here|exist)|"
        r"hurt(?:ing)? myself|harm(?:ing)? myself|self[- ]harm|cut(?:ting)? myself|"
        r"take all (?:my|the|of my) (?:pills|meds)|(?:with|have) all my pills|overdose on purpose|"
        r"od on purpose|overdose intentionally|intentionally overdose|finish myself off|"
        r"not (?:be )?(?:here|around) (?:anymore|tomorrow)|can'?t (?:go on|do this anymore)|"
        r"disappear forever|say(?:ing)? goodbye (?:to everyone|forever)|jump(?:ing)? off (?:a|the|"
        r"that) (?:bridge|building|roof|cliff)|(?:crash|crashing|drive|driving) my car (?:on purpose|"
        r"into)|nobody would (?:even )?(?:notice|care|miss me)|(?:written|wrote|writing) "
        r"(?:letters|notes?|goodbye)|not safe (?:right now|tonight|with myself)|tonight is the "
        r"night|(?:easiest|quickest|fastest|painless|best) way to die|painless (?:to die|death)|"
        r"my life is over|want (?:it|this|everything) (?:all )?to (?:be over|end|stop)|"
        r"(?:goodbye|suicide) (?:note|letter)s?|say(?:ing)? goodbye\b|rather (?:die|be dead)|"
        r"(?:and|just) be done\b|(?:no |don'?t see the |no )point (?:in|of) "
        r"(?:living|life|going on)|better off without me|saving (?:up )?(?:my |all my )?(?:pills|take-?homes|doses|meds)|"
        r"stockpil|sleep forever|never wake up|no way out|"
        r"(?:don'?t|do not|won'?t) (?:plan on |plan to )?"
        r"(?:be|being) (?:here|around|alive) (?:next|tomorrow|anymore|much longer)|(?:highest|"
        r"tallest) (?:bridge|building|cliff)|(?:bridge|building|cliff)\b[^.?!]{0,30}\b(?:highest|"
        r"tallest)|painless (?:to |way to )?(?:die|overdose|death)|"
        r"(?:die|overdose)\b.{0,40}\bpainless|(?:none of this|nothing) will matter|made (?:my )?"
        r"peace with|said (?:bye|goodbye) to|last time i'?ll (?:use|be)|left my (?:dog|cat|kids?) "
        r"with|(?:i|i'?ll|gonna|going to|will) end it\b|\bend it tonight|(?:pain|it|this|everything) "
        r"to (?:stop|end) for good|(?:bottle|handful) of pills (?:right )?(?:here|in front of me|next "
        r"to me)|burn(?:ing)? (?:my ?self|my (?:arms?|legs?|skin))|"
        r"overdos(?:e|ing) on purpose|(?:no|any) point (?:in )?going on|writing my will|saying "
        r"(?:bye|goodbye) to (?:people|everyone|my)|last straw|cartas de despedida|despedirme|"
        r"pills (?:saved|stashed)|saved up\b[^.?!]{0,20}\bpills|for when i decide|when i'?m done\b|"
        r"todo esto termine|que (?:todo )?termine (?:ya|todo)|(?:dormir|dormirme|irme|desaparecer) "
        r"para siempre\b|"
        r"(?:take|taking) everything i (?:have|got)|\bgiv(?:ing|en|e) (?:all )?(?:my|of my) "
        r"(?:stuff|things|belongings|possessions)(?: [\w-]++){0,4} away\b|\bno way forward\b|"
        r"\bsorry for everything\b|\bgoodbye\W{0,3} and (?:isn'?t|is not|won'?t|wasn'?t|not) "
        r"(?:picking up|answering)\b|giving away (?:all )?(?:my|of my) (?:stuff|"
        r"things|belongings|stuff)|won'?t need (?:any of )?(?:it|them|anything) (?:after|anymore)|"
        # a farewell with a decision made: "goodbye everyone, thanks for everything, I've made
        # my decision"
        # (what was decided left unsaid)
        r"\b(?:goodbye|bye) (?:everyone|all|every ?body|guys|y'?all)\b[^?]{0,80}\b(?:made (?:my|the|up "
        r"my) (?:decision|mind)|decided)\W*+$|\b(?:adi[oó]s|chao) a todos\b[^?]{0,80}\b(?:ya )?"
        r"(?:tom[eé] (?:la|mi) decisi[oó]n|lo decid[ií])\W*+$|"
        # "on purpose" said of oneself or of a harm, not "they make you faint on purpose"
        r"\b(?:i|i'm|i've|i'll|i'd|me|myself)\b(?:(?!\b(?:make|makes|made|making) (?:you|people|"
        r"patients|someone|them|us)\b)[^.?!]){0,50}\bon purpose\b|\b(?:overdos\w*+|od|cut|"
        r"cutting|hurt|hurting|swallow\w*+|took|take|taking|crash\w*+|drove|drive|jump\w*+|"
        r"stopped|starv\w*+)\b[^.?!]{0,40}\bon purpose\b|"
        r"(?:take|taking|took|swallow) (?:all (?:of )?(?:my|her|his|their|the)|(?:my|her|his|the) "
        r"whole) (?:\w++ )?(?:pills|meds|medication|script|prescription|bottle|supply|stash)|"
        r"(?:take|taking|took|swallow|swallowed|drink|drinking) (?:all|my whole|the whole|a whole|"
        r"my entire|the entire|them all|it all)\b[^.?!]{0,40}\bat once|make (?:it|this|everything|"
        r"the pain) (?:all )?(?:stop|end) for good)",
        # A plan with a means or a time, as people write it at the end of a long message.
        r"\b(?:i'?m|im|i am|i'?ve decided i'?m) (?:going|gonna) to (?:do it|take (?:them|it|all|the "
        r"rest|the lot|everything)|go through with it)\b|\b(?:do it|end it|take them) (?:all )?"
        r"(?:tonight|this (?:evening|weekend|morning|afternoon)|tomorrow)\b|"
        r"\b(?:do not|don'?t|no longer) (?:wish|want) to (?:continue|carry on|go on|keep going|keep "
        r"living|live)\b|\b(?:intention|intend|intending|plan|planning|decided) (?:of |to )?(?:taking|"
        r"take|swallowing|swallow) (?:them|it|all|the lot|every)\b|"
        r"\b(?:take|taking|swallow|swallowing) the rest of (?:my|his|her|their|the|these|those) "
        r"(?:\w++ )?(?:pills|meds|tablets|bottle|medication|capsules|insulin)\b|"
        r"\bgive myself (?:all|the whole|every)\b|\b(?:sent|send|sending|wrote|written|writing|left|recorded)\b"
        r"[^.?!]{0,20}\bgoodbye (?:texts?|messages?|e-?mails?|videos?)\b(?![^.?!]{0,20}\b(?:co-?workers?|"
        r"colleagues|team|class|clients|customers|boss)\b)|"
        r"\bwon'?t need (?:it|them|anything|any of (?:it|this|them))\b[^.?!]{0,20}\bwhere i'?m going\b|"
        r"\bregal[eé] (?:todas |todo )?(?:mis cosas|lo que tengo)\b|\b(?:i'?m|im|i am) (?:standing|sitting|stood|sat) "
        r"on (?:the|a|this) (?:edge of (?:the|a) )?(?:bridge|ledge|roof|railing|edge|tracks)\b|"
        r"\bnot plann?ing on (?:being|staying) (?:here|around|alive)\b|"
        r"\b(?:bought|got|have|has|found) (?:a|the) "
        r"(?:rope|noose|gun)\b|\bnot coming back (?:in|inside|home|out)\b|\bengine running\b|"
        r"\b(?:started|been|keep|am|i'?m|im|can'?t stop) cutting\b|\b(?:a lot of|so much|lots of) "
        r"blood\b(?! (?:tests?|work|pressure|sugars?|results?|draws?|counts?|panels?))|\bi (?:just |have |'?ve )?(?:swallowed|took|taken|ate) (?:the|a|my|her|his|their) "
        r"whole (?:\w++ )?(?:bottle|pack|box|strip|packet|jar)\b|"
        r"\b(?:gun|pistol|rifle|revolver)\b[^.?!]{0,30}\b(?:loaded|in my (?:lap|hand|mouth))\b|"
        r"\bloaded (?:gun|pistol|rifle|revolver)\b|\bthis is the night\b|"
        # a plan made and shown: the note written, the pills counted, the place chosen
        r"\b(?:written|wrote|writing|left) (?:the|a|my) (?:goodbye )?(?:note|letter)s?\b|"
        r"\bwrote (?:a )?(?:letters?|notes?) (?:to|for) (?:each|every|all) (?:of )?(?:my|them)\b|"
        r"\bwrote (?:my |each of my )?(?:kids|children|family|parents|sons|daughters|loved ones) "
        r"(?:a )?(?:letter|note)s? each\b|"
        r"\b(?:pills?|tablets?|meds) (?:are |is )?(?:all )?counted out\b|\bcounted (?:out )?"
        r"(?:every|all|all of|all the|all my|the|my) (?:\w++ )?(?:pills?|tablets?|meds)\b|"
        r"\b(?:don'?t|do not|won'?t) (?:plan on|plan to|intend to|want to|expect to) wak(?:e|ing) up\b|"
        r"\bwalk(?:ing)? (?:out )?into the (?:water|sea|river|lake|ocean|traffic)\b|"
        r"\bhow long (?:it takes|does it take|would it take) to (?:drown|bleed out|die|suffocate)\b"
        r"(?! (?:a|an|the|my|your|his|her|its|their|weeds|plants|roots)\b)|"
        r"\bbetter off (?:with|collecting|getting|having) (?:the |my )?(?:life )?insurance\b|"
        r"\bmake it look like an accident\b|\bi'?m done after (?:this|tonight|today)\b|"
        r"\btook everything in the (?:medicine )?(?:cabinet|cupboard|drawer|house)\b|\bi (?:just )?swallowed (?:all|a "
        r"bunch|a handful|a lot|dozens|loads)\b",
    ),
    unless=(self_harm_denied, GAME_OR_TECH,),
    examples=(
        'no thoughts of harming myself before, but tonight i want to die',
        "goodbye everyone, thanks for everything, i've made my decision",
        'wrote letters to each of my family and left them on the table',
        'the note is written and the pills are all counted out',
        "i've had enough and i don't intend to wake up tomorrow",
        "i'm going to walk into the sea when it's dark",
        'my wife would be better off with the life insurance',
        "there's a loaded pistol next to me on the bed",
        'gonna kms, cant do this anymore',
        'i want to kill myself',
        "i'm going to take all my pills tonight",
        "i bought a rope and i'm going to do it this weekend",
        'sent everyone a goodbye text and turned my phone off',
    ),
    near_misses=(
        "i feel flat and tearful but i don't have any thoughts of harming myself",
        'goodbye all, I decided to switch to another clinic, thanks',
        'i wrote my doctor a letter about my back pain',
        'how long does it take to drown a plant if i overwater it',
        "i keep my grandad's old rifle locked in a safe, is that legal",
        'my gp ran lots of blood tests and all were normal',
        'my dad is in intensive care and the nurses think he is going to die',
        'i dont want to take everything away from him, he loves his food',
        'i wrote a goodbye message to my coworkers before i left the job',
        'how do i kill a python process that hangs',
    ),
),
Rule(
    "blue_or_grey",
    any_of=(
        r"\b(?:blue|purple|grey|gray)\b[^.?!]{0,20}\b(?:lips|mouth|face|fingertips|nails)\b|"
        r"\b(?:lips|mouth|face|fingertips|nails)\b[^.?!]{0,35}\b(?:blue|purple|grey|gray)\b",
    ),
    unless=(matches(GENERAL), matches(SIGN_MEANING)),
    unless_story=(story, past_story),
    examples=(
        'his lips look blue',
        'her face is going grey',
    ),
    near_misses=(
        HOSPITAL_STORY,
        'why do lips turn blue in an overdose',
        'what do blue lips mean during an overdose',
    ),
),
Rule(
    "blue_after_a_drug",
    any_of=(
        r"\b(?:he|she|they|(?:my |our |your )?(?:friend|bf|gf|boyfriend|girlfriend|husband|wife|"
        r"partner|son|daughter|brother|sister|mom|mum|dad|roommate|buddy|mate|cousin|baby|kid))"
        r"(?:'s| is| are|'re)(?: (?:turning|going|getting|all|so|really|kinda|kind of))? "
        r"(?:blue|grey|gray|purple)\b",
    ),
    # "He's blue" is also sadness: an emergency only with a drug, naloxone or an overdose named.
    unless=(matches_without(r"^", rf"{CORE}|narcan|overdos\w*+|\bused\b|\bpills?\b|percs?|"
                                  r"\bdope\b|\bhigh\b"), matches(GENERAL), matches(PAST)),
    unless_story=(story, past_story),
    examples=(
        'i have narcan but i dont know how to use it HE IS BLUE',
        "she's turning blue after the fentanyl",
    ),
    near_misses=(
        "my boyfriend is blue since he lost his job",
        'my friend is kind of blue lately, how do i cheer him up about quitting?',
        'my pills are blue and round, are they real percs?',
    ),
),
Rule(
    "suicidal",
    any_of=(
        r"\bsuicid(?:e|al)\b",
    ),
    unless=(matches(SUICIDE_QUESTION), matches(PAST_OR_GENERAL)),
    examples=(
        'i feel suicidal',
        'im suicidal tonight',
    ),
    near_misses=(
        'can kratom withdrawal make people suicidal',
        'what is the suicide hotline number',
    ),
),
Rule(
    "lethal_amount",
    any_of=(
        r"\b(?:lethal|fatal|deadly|killing|toxic) (?:dose|amount|dosage|quantity|level)|\bld50\b|"
        r"\b(?:biggest|largest|highest|most|max(?:imum)?) (?:dose|amount)\b[^.?!]{0,40}\b(?:survive|"
        r"before (?:you|someone|a person|they) (?:die|dies))\b|"
        r"\bmortal(?:es)?\b|\bdl ?50\b|\bld ?50\b|(?:me )?tom[eé] (?:toda la caja|todo el frasco|"
        r"todas las pastillas|todo el blister)|\b(?:dose|amount)\b[^.?!]{0,40}\b(?:lethal|fatal|"
        r"deadly|kills? (?:a|you|"
        r"someone|them|people|a person))\b|make(?:s)? sure (?:you|i|he|she|they) (?:don'?t|dont|never)"
        r" wake|before (?:it|that) kills|para (?:matar|que (?:[\w-]++ ){0,3}muera)|"
        r"\bmata (?:a )?(?:una persona|alguien)|\b(?:would|will|to|enough to|that) "
        r"stop (?:my|his|her|someone'?s|a person'?s) heart\b|"
        r"\b(?:dose|amount|much|many)\b[^.?!]{0,20}\b(?:that|which)\b[^.?!]{0,15}\b"
        r"(?:stops?|kills?|stop (?:my|your|his|her|someone'?s)) (?:your |my |his |her |a )?"
        r"(?:breathing|heart|person|someone|me|you)\b|\bstop (?:my|your|his|her) (?:breathing|heart)"
        r"\b[^.?!]{0,30}\bi want\b|\b(?:kill|die|stop (?:my|your) heart)\b.{0,40}\b(?:i want "
        r"(?:it|to)|because i want)\b|"
        r"\b(?:how (?:much|many)|what (?:amount|dose|quantity))\b[^.?!]{0,60}\b(?:is |are |would "
        r"be |)(?:lethal|deadly|fatal)\b|\b(?:how (?:much|many)|what (?:amount|dose|quantity))\b"
        r"[^.?!]{0,60}\b(?:is|are|would be|counts as) (?:an? )?(?:overdose|od)\b|"
        r"\bhow (?:much|many)\b[^.?!]{0,60}\b(?:to|would|will|could|does it take to|it takes to)\s+"
        r"(?:just )?(?:kill|die|od|overdose|stop (?:my|your|a) heart|not wake up|end it|make (?:it|"
        r"this|everything) (?:all )?stop)\b|"
        r"\benough\b[^.?!]{0,40}\bto (?:kill|die|od|overdose|not wake up|end it|stop (?:my|your|"
        r"his|her|someone'?s) (?:breathing|heart))\b|"
        r"\b(?:before|until) (?:you|i|he|she|they|someone|a person) (?:die|dies|od|ods|overdose|"
        r"stop breathing)\b|"
        r"\bhave enough (?:fentanyl|pills|heroin|oxycodone|kratom|methadone|7-hydroxymitragynine)|"
        r"\b(?:amount|dose|much|many)\b[^.?!]{0,40}\b(?:not|never|wouldn'?t|won'?t|can'?t|couldn'?t) "
        r"survive\b|\bhow (?:much|many)\b[^.?!]{0,40}\bstop (?:someone'?s|someones|a person'?s|my|"
        r"your|his|her|their) (?:breathing|heart)\b",
    ),
    unless=(GAME_OR_TECH, SIGNS_OF_IT),
    examples=(
        'what is the lethal dose of fentanyl',
        'how many pills would it take to not wake up',
        'what amount of fentanyl would a person not survive',
        'how can you tell how much fentanyl is a fatal amount',
    ),
    near_misses=(
        "what's the lethal dose mechanic in plague inc",
        'how can you tell when a person has taken a fatal amount of opioids',
    ),
),
Rule(
    "crisis_es_signs",
    any_of=(
        r"\b(?:(?:est[aá]|creo que tiene|creo que tengo|tiene|tengo) (?:una )?sobredosis|"
        r"sobredosis ahora)",
    ),
    unless=(matches(GENERAL),),
    unless_story=(story, past_story),
    examples=(
        'creo que tiene una sobredosis',
        'mi amigo tiene una sobredosis',
    ),
    near_misses=(
        'cómo saber si alguien tiene una sobredosis',
        'qué hay que hacer si alguien tiene una sobredosis',
    ),
),
Rule(
    "crisis_es",
    any_of=(
        r"\b(?:no (?:puedo |puede )?respira|casi no (?:puedo|puede) respirar|dej[oó] de respirar|"
        r"no despierta|no reacciona|no responde|inconsciente|"
        r"labios (?:azules|morados)|se (?:est[aá] )?poniendo (?:azul|morado)|convulsi|"
        r"quiero morir|me quiero morir|matarme|suicidarme|suicidio|quitarme la vida|"
        r"acabar con (?:mi vida|todo)|"
        r"no quiero (?:vivir|despertar|seguir)|hacerme da[nñ]o|cortarme|cort[aá]ndome|me estoy "
        r"cortando|dosis (?:letal|mortal)|(?:me )?duele (?:mucho )?el pecho|"
        r"cu[aá]nt[oa]s?[^.?!]{0,50}para (?:morir|matarme|no despertar)|matar[ií]a|me matar|"
        r"sin respirar|sigue sin (?:despertar|reaccionar|responder)|mejor sin m[ií]|no se despierta|"
        r"respira (?:fatal|mal|raro|lento|muy poco)|no contesta|respiraci[oó]n (?:es |est[aá] )?"
        r"(?:muy )?(?:lenta|d[eé]bil|rara)|casi no (?:se le oye|respira)|regalando mis cosas|no voy a necesitar nada|ya "
        r"no tiene sentido|"
        r"dolor (?:en el|de) pecho|no abre los ojos|ronca (?:raro|fuerte|extra[nñ]o)|"
        # taking them all tonight, not waking up, goodbyes said, ending everything
        r"para no (?:volver a )?despertar|me (?:las|los) voy a tomar tod[ao]s|"
        r"no (?:puedo|podemos) despertarl[oa]|labios (?:grises|p[aá]lidos)|"
        r"tom[aá]rmel[ao]s tod[ao]s|escrib[ií] (?:una|las|mis) cartas? (?:para|de despedida|a)|"
        r"ya no (?:l[oa]s )?voy a necesitar|(?:tengo|compr[eé]|consegu[ií]) (?:la|una) (?:cuerda|soga)|"
        r"tom[eé] todo lo que (?:hab[ií]a|ten[ií]a|encontr[eé])|"
        r"junt[eé] (?:todas |todos )?(?:las|los|mis) (?:pastillas|pastas|p[ií]ldoras)|"
        r"ya me desped[ií]|terminar con todo|(?:quiero|voy a) hacerme da[nñ]o|"
        r"me (?:quiero|voy a) hacer da[nñ]o|ya me (?:las|los) tom[eé]|"
        r"(?:que|quiero que) (?:el dolor|todo|esto) (?:pare|termine|se acabe) para siempre|"
        r"se (?:tom[oó]|trag[oó]|comi[oó]) (?:todas|todos|todo el|toda la|el frasco|la caja|"
        r"un mont[oó]n)\b|(?:frasco|caja|blister|paquete)\b[^.?!]{0,40}\bvac[ií]o)",
    ),
    unless=(matches(PAST), matches(r"\bpuede(?:n)? (?:causar|provocar|dar)\b"), GAME_OR_TECH,
            # "¿los labios morados son señal de sobredosis?", "¿el kratom da convulsiones?"
            matches(r"\b(?:son|es) (?:una )?se[nñ]al(?:es)?\b|\b(?:da|dan|causa|causan|provoca|"
                    r"provocan) convulsiones\b|^\W*(?:a )?qu[eé] n[uú]mero\b|\b988\b|"
                    r"\bl[ií]nea (?:de|para)\b"), matches(GENERAL)),
    unless_story=(story, past_story),
    examples=(
        'no puedo despertarla y tiene los labios grises',
        'ya tengo una cuerda',
        'junté todas mis pastillas y esta noche me las voy a tomar',
        'ya me despedí de mi mamá',
        'mi hija se tomó todo el frasco de pastillas',
        'mi hermano no respira',
        'quiero morir',
        'tiene los labios azules y no despierta',
        'se inyectó y no abre los ojos, ronca raro',
    ),
    near_misses=(
        '¿cómo se desecha un frasco vacío de medicina?',
        '¿el kratom puede causar convulsiones?',
        '¿unos labios azules son señal de sobredosis?',
        'antes pensaba que quería morir, ahora estoy bien',
    ),
),
)
