"""Tables for the TeX decoder: accents, letters, text and math symbols, sub- and superscripts."""

from __future__ import annotations

from pylatexenc.latex2text import get_default_latex_context_db


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
           "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
           "H": "\u030b", "r": "\u030a", "k": "\u0328", "d": "\u0323", "b": "\u0331",
           "t": "\u0361", "G": "\u030f"}  # fmt: skip
# Math accents: `\hat{x}`, `\bar{x}`, …, and `\not=`.
MATH_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305",
                "vec": "\u20d7", "tilde": "\u0303", "widetilde": "\u0303", "dot": "\u0307",
                "ddot": "\u0308", "acute": "\u0301", "grave": "\u0300", "check": "\u030c",
                "breve": "\u0306", "not": "\u0338"}  # fmt: skip
# What an accent over nothing (`\'{}`) shows.
SPACING_ACCENTS = {"'": "´", "`": "`", "^": "^", '"': "¨", "~": "~", "=": "¯", ".": "˙",
                   "c": "¸", "v": "ˇ", "u": "˘", "H": "˝", "r": "˚", "k": "˛"}  # fmt: skip

# Text-mode specials (pylatexenc's and BibTeX's): dashes, quotes, inverted marks, the tie.
SPECIALS = {"---": "\u2014", "--": "\u2013", "''": "\u201d", "``": "\u201c", "!`": "\u00a1",
            "?`": "\u00bf", "~": " "}  # fmt: skip

# Control symbols: `\&`, `\,`, `\-`, …
CONTROL_SYMBOLS = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}",
                   " ": " ", "\n": " ", "\t": " ", "\\": " ", ",": " ", ";": " ", ":": " ",
                   ">": " ", "!": "", "/": "", "-": "", "@": "", "|": "‖"}  # fmt: skip

# Commands whose one braced argument is just their text (fonts, boxes, case protection, math
# alphabets); `\textsuperscript` and friends are handled by the decoder.
WRAPPERS = _words("""emph textit textbf textsl textsc textrm texttt textsf textup textmd
textnormal textmc textlf mbox hbox fbox makebox text mathrm mathbf mathit mathsf mathtt mathcal
mathscr mathfrak mathnormal boldsymbol bm pmb operatorname NoCaseChange nocase underline uline
uuline sout xout uppercase lowercase MakeUppercase MakeLowercase MakeTextUppercase
MakeTextLowercase textenglish textgreek textcyrillic nolinkurl path footnote thanks""")
# Commands with two arguments of which the text is one: `\href{url}{text}`, `\textcolor{c}{t}`.
SECOND_OF_TWO = _words("href textcolor foreignlanguage texorpdfstring colorbox")
# Font and size declarations (`{\em …}`, `\bf`) and other commands that print nothing.
DECLARATIONS = _words("""em it bf sl sc rm tt sf up md itshape bfseries scshape upshape
normalfont mdseries slshape rmfamily sffamily ttfamily tiny scriptsize footnotesize small
normalsize large Large LARGE huge Huge relax protect selectfont nobreak allowbreak
displaystyle textstyle scriptstyle scriptscriptstyle left right middle big Big bigg Bigg bigl
bigr Bigl Bigr biggl biggr Biggl Biggr limits nolimits boldmath unboldmath noindent
ignorespaces unskip xspace null""")
# Commands whose arguments print nothing: `\noopsort{a}` (a BibTeX sorting trick), labels, …
DROP_ARGUMENT = {"noopsort": 1, "label": 1, "index": 1, "vspace": 1, "vspace*": 1,
                 "pagestyle": 1, "thispagestyle": 1, "color": 1, "begin": 1, "end": 1,
                 "bibitem": 1, "setlength": 2, "phantom": 1, "hphantom": 1, "vphantom": 1,
                 "sortname": 0, "hspace": 1, "hspace*": 1, "kern": 0}  # fmt: skip
# Logos keep the space after them (`\LaTeX is`), unlike other control words.
LOGOS = {"LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2ε",
         "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "AmSTeX": "AmSTeX",
         "AMS": "AMS", "ConTeXt": "ConTeXt", "METAFONT": "METAFONT", "BibLaTeX": "BibLaTeX",
         "eTeX": "eTeX", "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX"}  # fmt: skip
# Words in math that are printed as words (`\log n`): a space keeps them apart from a letter.
OPERATOR_WORDS = _words("""log ln lg exp sin cos tan cot sec csc arcsin arccos arctan sinh
cosh tanh coth max min sup inf lim limsup liminf det dim ker deg gcd hom arg Pr mod bmod pmod
argmax argmin""")

_OURS = {
    "slash": "/",
    "textslash": "/",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textquotesingle": "'",
    "textquotedbl": '"',
    "textellipsis": "…",
    "copyright": "©",
    "textbullet": "•",
    "textperiodcentered": "·",
    "textdagger": "†",
    "textdaggerdbl": "‡",
    "ddag": "‡",
    "S": "§",
    "P": "¶",
    "pounds": "£",
    "euro": "€",
    "EUR": "€",
    "texttrademark": "™",
    "textservicemark": "℠",
    "textmu": "μ",
    "textohm": "Ω",
    "textcelsius": "℃",
    "textperthousand": "‰",
    "textnumero": "№",
    "textminus": "−",
    "textdiv": "÷",
    "textordfeminine": "ª",
    "textonehalf": "½",
    "guillemetleft": "«",
    "guillemetright": "»",
    "guilsinglleft": "‹",
    "guilsinglright": "›",
    "quotedblbase": "„",
    "quotesinglbase": "‚",
    "textquotedblbase": "„",
    "textvisiblespace": "␣",
    "textcompwordmark": "",
    "textemdash": "—",
    "textendash": "–",
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "textdegree": "°",
    "degree": "°",
    "textregistered": "®",
    "textcircledP": "℗",
    "textdollar": "$",
    "textsterling": "£",
    "textyen": "¥",
    "i": "ı",
    "j": "ȷ",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "ss": "ß",
    "SS": "SS",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "dh": "ð",
    "DH": "Ð",
    "dj": "đ",
    "DJ": "Đ",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "ij": "ĳ",
    "IJ": "Ĳ",
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
    "thinspace": " ",
    "negthinspace": "",
    "space": " ",
    "enskip": " ",
    "quad*": " ",
    "newline": " ",
    "linebreak": " ",
    "par": " ",
    "hfill": " ",
    "hfil": " ",
    "break": " ",
    "cr": " ",
    "epsilon": "ε",
    "phi": "φ",
    "prime": "′",
    "colon": ":",
    "lbrace": "{",
    "rbrace": "}",
    "{": "{",
    "}": "}",
    "lbrack": "[",
    "rbrack": "]",
    "vert": "|",
    "mid": "|",
    "ldots": "…",
    "dots": "…",
    "neg": "¬",
    "lnot": "¬",
    "land": "∧",
    "lor": "∨",
    "implies": "⟹",
    "iff": "⟺",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "leftrightarrow": "↔",
    "mapsto": "↦",
    "gets": "←",
    "ne": "≠",
    "star": "⋆",
    "square": "□",
    "Box": "□",
    "diamond": "⋄",
    "top": "⊤",
    "bot": "⊥",
    "perp": "⊥",
    "vdash": "⊢",
    "models": "⊨",
    "angle": "∠",
    "triangle": "△",
    "surd": "√",
    "wp": "℘",
    "Re": "ℜ",
    "Im": "ℑ",
    "hslash": "ℏ",
    "Box*": "■",
    "checkmark": "✓",
    "bigcup": "⋃",
    "bigcap": "⋂",
    "bigvee": "⋁",
    "bigwedge": "⋀",
    "sqcup": "⊔",
    "sqcap": "⊓",
    "uplus": "⊎",
    "div": "÷",
    "leadsto": "⇝",
    "approxeq": "≊",
    "cong": "≅",
    "asymp": "≍",
    "doteq": "≐",
    "triangleq": "≜",
    "coloneqq": "≔",
    "nsim": "≁",
    "lessapprox": "⪅",
    "gtrapprox": "⪆",
    "upmu": "μ",
    "micro": "µ",
    "textpm": "±",
    "AAkey": "",
    "textsuperscript": "",
}
_DROPPED = {"today", "ref", "autoref", "cref", "Cref", "eqref", "cite", "citet", "citep", "-",
            "\\", "vspace", "hspace"}  # fmt: skip


def _symbols() -> dict[str, str]:
    """pylatexenc's plain replacements (about 800 symbols and letters), then our own."""
    table: dict[str, str] = {}
    for spec in get_default_latex_context_db().iter_macro_specs():
        repl = spec.simplify_repl
        if isinstance(repl, str) and "%" not in repl and spec.macroname not in _DROPPED:
            table[spec.macroname] = repl
    table.update(_OURS)
    del table["textsuperscript"], table["AAkey"]
    return table


SYMBOLS = _symbols()

BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ", "H": "ℍ", "E": "𝔼",
              "1": "𝟙"}  # fmt: skip

SUPERSCRIPTS = dict(zip(
    "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ'′∘*†∗, .",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ′′°*†*, .",
    strict=True,
))  # fmt: skip
SUBSCRIPTS = dict(zip(
    "0123456789+-−=()aehijklmnoprstuvxβγρφχə, .",
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪₔ, .",
    strict=True,
))  # fmt: skip

# The journal macros of AASTeX that ADS exports use as venues (`journal = {\apj}`).
JOURNALS = {
    "aj": "Astronomical Journal", "actaa": "Acta Astronomica",
    "araa": "Annual Review of Astronomy and Astrophysics", "apj": "Astrophysical Journal",
    "apjl": "Astrophysical Journal Letters", "apjs": "Astrophysical Journal Supplement",
    "ao": "Applied Optics", "apss": "Astrophysics and Space Science",
    "aap": "Astronomy and Astrophysics", "aapr": "Astronomy and Astrophysics Reviews",
    "aaps": "Astronomy and Astrophysics Supplement", "azh": "Astronomicheskii Zhurnal",
    "baas": "Bulletin of the American Astronomical Society",
    "caa": "Chinese Astronomy and Astrophysics",
    "cjaa": "Chinese Journal of Astronomy and Astrophysics", "icarus": "Icarus",
    "jcap": "Journal of Cosmology and Astroparticle Physics",
    "jrasc": "Journal of the Royal Astronomical Society of Canada",
    "memras": "Memoirs of the Royal Astronomical Society",
    "mnras": "Monthly Notices of the Royal Astronomical Society", "na": "New Astronomy",
    "nar": "New Astronomy Reviews", "pra": "Physical Review A", "prb": "Physical Review B",
    "prc": "Physical Review C", "prd": "Physical Review D", "pre": "Physical Review E",
    "prl": "Physical Review Letters",
    "pasa": "Publications of the Astronomical Society of Australia",
    "pasp": "Publications of the Astronomical Society of the Pacific",
    "pasj": "Publications of the Astronomical Society of Japan",
    "psj": "Planetary Science Journal",
    "qjras": "Quarterly Journal of the Royal Astronomical Society",
    "rmxaa": "Revista Mexicana de Astronomia y Astrofisica", "skytel": "Sky and Telescope",
    "solphys": "Solar Physics", "sovast": "Soviet Astronomy", "ssr": "Space Science Reviews",
    "zap": "Zeitschrift fuer Astrophysik", "nat": "Nature", "iaucirc": "IAU Circulars",
    "aplett": "Astrophysics Letters", "apspr": "Astrophysics Space Physics Research",
    "bain": "Bulletin of the Astronomical Institutes of the Netherlands",
    "fcp": "Fundamentals of Cosmic Physics", "gca": "Geochimica et Cosmochimica Acta",
    "grl": "Geophysical Research Letters", "jcp": "Journal of Chemical Physics",
    "jgr": "Journal of Geophysical Research",
    "jqsrt": "Journal of Quantitative Spectroscopy and Radiative Transfer",
    "memsai": "Memorie della Societa Astronomica Italiana", "nphysa": "Nuclear Physics A",
    "physrep": "Physics Reports", "physscr": "Physica Scripta",
    "planss": "Planetary and Space Science", "procspie": "Proceedings of the SPIE",
}  # fmt: skip
