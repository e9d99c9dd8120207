"""Words several rule tables share: who a message is about, amounts, drugs, the past."""

from __future__ import annotations

WHO = (r"(?:he|she|they|it|him|her|them|my \w++|a \w++|someone|somebody|friend|partner|"
        r"boyfriend|girlfriend|husband|wife|brother|sister|son|daughter|mom|mum|dad|roommate|"
        r"he's|she's|they're|i|i'm|we|guy|man|woman|neighbou?r)")
KID = (r"(?:kid|child|son|daughter|toddler|baby|infant|grandson|granddaughter|dog|puppy|cat|"
        r"kitten|pet|beagle|terrier|labrador|poodle|chihuahua|nephew|niece|"
        r"(?:\d++|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]"
        r"(?:month|year|yr)s?[- ]old|hijo|hija|ni[nñ]o|ni[nñ]a|"
        r"beb[eé]|perro|perrito|gato|mascota|sobrino|sobrina|nieto|nieta|nena|nene)")
AMOUNT = (r"(?:grams?|mg|ml|mcg|micrograms?|pills?|capsules?|teaspoons?|tablespoons?|spoons?|"
           r"scoops?|doses?|strips?|shots?|drops?|cups?|tabs?|bags?|points?|patch(?:es)?|"
           r"gramos|miligramos|pastillas|tabletas|c[aá]psulas|cucharadas|cucharaditas|gotas)")
PAST = (
    r"\b(?:once last year|last (?:month|year|summer|winter)|years? ago|months? ago|doc(?:tor)? "
    r"said (?:i'?m|im) fine|i'?m (?:ok|okay|fine|better|safe) now|antes pensaba|ahora estoy bien|"
    r"ya estoy bien)\b")
TECH = (
    r"\b(?:proceso|process|thread|windows|linux|terminal|program|programa|computer|computadora|"
    r"pc|server|servidor|python|java|javascript|task manager|app)\b")
GAME = (r"\b(?:game|mechanic|minecraft|plague inc|dark souls|cyberpunk|rpg|d&d|dnd|elden ring|"
        r"witcher|baldur'?s gate|zelda|stats?|dps|npc|boss fight|"
                   r"fortnite|skyrim|sims|pokemon|ui|juego|mec[aá]nica|lethal company)\b")
CORE = (
    r"opioid|opiate|kratom|mitragyn|7-hydroxy|heroin|fentanyl|oxycodone|hydrocodone|morphin|"
    r"codeine|tramadol|methadone|buprenorphine|naloxone|naltrexone|lofexidine|dopesick|"
    r"painkiller|liver|hotline|helpline|\bdrugs?\b")
DRUG = (
    r"kratom|mitragyn|7-hydroxy|opioid|opiate|heroin|fentanyl|oxycodone|hydrocodone|morphin|"
    r"codeine|tramadol|methadone|buprenorphine|naloxone|naltrexone|lofexidine|pill|medic|"
    r"drug|dose|tylenol|acetaminophen")
