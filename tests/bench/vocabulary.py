"""The word lists the benchmark corpus draws from (titles, names, venues, abstracts, notes)."""

from __future__ import annotations


def _w(text: str) -> list[str]:
    return text.split()


ADJECTIVES = _w("""efficient scalable robust sparse dense contrastive self-supervised multilingual
hierarchical adaptive neural probabilistic differentiable federated causal interpretable
lightweight zero-shot few-shot multimodal generative discriminative Bayesian graph-based
retrieval-augmented long-context low-resource cross-lingual unsupervised semi-supervised
weakly-supervised continual compositional structured latent variational recurrent convolutional
attentive quantized pruned distilled faithful calibrated controllable instruction-tuned
parameter-efficient memory-efficient streaming incremental hybrid learned lexical semantic
contextual open-domain domain-specific explainable fair private secure energy-efficient
end-to-end modular universal unified simple provable optimal approximate fast""")

NOUNS = _w("""transformers language-models embeddings retrieval attention representations encoders
decoders tokenization distillation pruning quantization fine-tuning pretraining prompting
reranking indexing ranking summarization translation parsing entity-linking relation-extraction
knowledge-graphs diffusion-models mixture-of-experts reinforcement-learning policy-optimization
reward-models alignment hallucination benchmarks evaluation datasets adapters agents
chain-of-thought in-context-learning query-expansion passage-retrieval dense-retrievers
cross-encoders bi-encoders inverted-indexes learned-sparse-retrieval vector-search
nearest-neighbour-search graph-neural-networks state-space-models recurrent-networks
convolutional-networks vision-transformers speech-models code-models reasoning planning
memory generalization robustness calibration uncertainty interpretability fairness privacy
compression caching scheduling inference training optimization regularization augmentation
curriculum-learning active-learning meta-learning contrastive-learning metric-learning
topic-models clustering classification regression segmentation detection generation""")

TASKS = _w("""question-answering machine-translation dense-passage-retrieval text-classification
named-entity-recognition code-generation image-captioning speech-recognition document-ranking
semantic-parsing dialogue-systems information-extraction open-domain-QA sentiment-analysis
query-expansion recommendation fact-checking summarization math-reasoning table-understanding
legal-retrieval biomedical-NLP scientific-document-understanding conversational-search
multi-hop-reasoning web-search ad-hoc-retrieval claim-verification keyphrase-extraction
citation-recommendation clinical-text-mining program-synthesis visual-question-answering
text-to-SQL tool-use long-document-QA cross-lingual-retrieval entity-search""")

VERBS = _w("""improve scale compress align rank retrieve generate explain evaluate adapt distill
prune calibrate accelerate stabilise regularise verify ground personalise index""")

PROPERTIES = _w("""limits robustness efficiency brittleness generalization calibration faithfulness
expressivity sample-efficiency stability emergence memorization""")

GIVEN = _w("""Alice Bob Carlos Diana Emil Fatima Gustavo Hana Ivan Jia Kenji Laura Mohammed Nadia
Oliver Priya Qiang Rosa Samuel Tomás Uma Victor Wei Ximena Yuki Zoë José Björn Łukasz Jürgen
François Søren Çağlar Ángel Nuño Thắng Ōta Chloé Maël Dávid Ana Ji-woo Seo-yeon Arjun Ravi
Meera Ahmed Leila Omar Ingrid Lars Sven Anja Katarzyna Piotr Dmitri Olga Sergei Hiroshi Aiko
Minh Linh Chen Xin Yan Hao Lei Mei Tariq Amara Kwame Chidi Ngozi Mateo Lucía Valentina Giulia
Marco Francesca Pierre Élodie Noé Matthias Ulrike Henrik Astrid""")

FAMILY = _w("""Smith Johnson Müller Schmidt Nguyễn García Martínez Rodríguez López González
Dvořák Novák Kowalski Wiśniewski Śliwiński Øvrebø Sørensen Jørgensen Zhang Wang Li Chen Liu
Yang Huang Zhao Wu Zhou Kim Lee Park Choi Sato Suzuki Takahashi Tanaka Watanabe Itō Yamamoto
Nakamura Kobayashi Patel Sharma Singh Kumar Gupta Das Iyer Reddy Rao Khan Ahmed Hassan Ali
Ibrahim Okafor Mensah Diallo Haddad Cohen Levi Friedman Rossi Russo Ferrari Esposito Bianchi
Romano Dubois Lefèvre Moreau Laurent Girard Fournier Çelik Yılmaz Öztürk Şahin Ivanov Petrov
Smirnov Kuznetsov Popov Andersson Johansson Karlsson Nilsson Eriksson Larsson Virtanen Korhonen
Brown Taylor Wilson Davies Evans Thomas Roberts Walker Wright Thompson White Harris Clark
Lewis Robinson Young Allen King Scott Green Baker Adams Nelson Hill Campbell Mitchell Carter
O'Brien MacDonald de~la~Cruz van~der~Berg von~Neumann""")

# Unicode letters that BibTeX files often spell with TeX accents.
TEX_ACCENTS = {
    "ü": '{\\"u}',
    "ö": '{\\"o}',
    "ä": '{\\"a}',
    "é": "{\\'e}",
    "è": "{\\`e}",
    "á": "{\\'a}",
    "í": "{\\'i}",
    "ó": "{\\'o}",
    "ç": "{\\c{c}}",
    "ø": "{\\o}",
    "ł": "{\\l}",
    "ś": "{\\'s}",
    "ř": "{\\v{r}}",
    "ñ": "{\\~n}",
}

VENUES = {
    "inproceedings": _w("""NeurIPS ICML ICLR ACL EMNLP NAACL SIGIR CIKM WSDM KDD AAAI IJCAI CVPR
ECIR
COLING WWW ICTIR EACL"""),
    "article": [
        "Transactions of the ACL",
        "Journal of Machine Learning Research",
        "ACM Transactions on Information Systems",
        "Information Retrieval Journal",
        "Computational Linguistics",
        "Nature Machine Intelligence",
        "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    ],
    "misc": ["arXiv preprint"],
}

TAGS = _w("""nlp ir llm retrieval to-read survey benchmark vision rl efficiency graph theory
dataset reproducibility read-later important classic multilingual evaluation agents code
speech safety alignment rag reranking indexing compression fairness privacy reasoning
math medical legal scientific-docs thesis teaching reading-group baseline sota""")

SENTENCES = [
    "{Adj} {noun} have become a standard tool for {task}.",
    "However, existing approaches to {task} rely on {adj} {noun} that are costly to train.",
    "In this paper we propose {Name}, a {adj} framework that combines {noun} with {noun2}.",
    "We show that {adj} {noun} can {verb} {noun2} without sacrificing accuracy.",
    "Experiments on {dataset} and {dataset2} demonstrate consistent gains over strong baselines.",
    "Our analysis reveals that the {prop} of {noun} depends on the choice of {noun2}.",
    "Unlike prior work, {Name} does not require {adj} supervision or {noun}.",
    "We further introduce a {adj} objective that encourages {adj2} {noun}.",
    "On {task}, {Name} improves over the previous state of the art by {num} points.",
    "We release {dataset}, a new benchmark of {count} examples for {task}.",
    "Ablation studies confirm that both {noun} and {noun2} contribute to the final performance.",
    "These results suggest that {adj} {noun} are a promising direction for {task}.",
    "We study the {prop} of {noun} under distribution shift and {adj} evaluation protocols.",
    "Our method scales to {count} documents while keeping latency below {num} milliseconds.",
    "We find that {noun} trained with {noun2} generalise better to {adj} settings.",
    "To this end, we combine {adj} {noun} with a {adj2} variant of {noun2}.",
    "Human evaluation shows that outputs of {Name} are preferred in {num} percent of cases.",
    "We provide a theoretical analysis of {noun} and derive bounds on their {prop}.",
    "A key challenge in {task} is the lack of {adj} training data.",
    "We compare {Name} with {Name2} and {Name3} on {dataset}.",
]

# Generic academic prose around the topical words: most of an abstract's words, so that
# topical terms have realistic document frequencies (a few percent to a third of papers).
GEN_NOUNS = _w("""method approach model framework system algorithm technique architecture
objective loss dataset corpus baseline experiment evaluation analysis study result performance
accuracy efficiency latency throughput memory cost budget setting scenario problem challenge
limitation assumption hypothesis insight observation finding trade-off component module layer
head parameter weight gradient signal feature space distribution sample example instance query
document passage sentence token word vocabulary context window sequence length input output
prediction label annotation supervision feedback preference policy environment user interface
pipeline stage step iteration epoch batch schedule strategy heuristic rule constraint guarantee
bound theorem proof property behaviour pattern structure node edge path tree cluster
neighbourhood similarity distance metric score list candidate index cache storage compute
hardware accelerator kernel implementation library toolkit resource domain modality image
video audio text table chart figure protocol variance bias error noise estimate
approximation""")
GEN_VERBS = _w("""propose introduce present develop design study analyse investigate evaluate
compare
demonstrate show find observe report establish derive prove measure quantify improve reduce
increase outperform match exceed achieve obtain leverage exploit combine integrate extend
generalise adapt transfer scale simplify unify revisit characterise identify mitigate address
tackle overcome""")
GEN_ADJ = _w("""novel simple effective strong competitive significant substantial consistent
general practical principled theoretical empirical extensive comprehensive large small diverse
challenging realistic standard popular existing prior recent previous current key main
important critical central fundamental natural intuitive surprising limited noisy long short
deep shallow""")
FILLER = [
    "We {gverb} a {gadj} {gnoun} that can {gverb2} the {gnoun2} in {task}.",
    "Our {gnoun} is able to {gverb2} the {gnoun2} by a {gadj} margin.",
    "This {gnoun} is {gadj} and requires no additional {gnoun2}.",
    "Furthermore, we {gverb} how the {gnoun} of {noun} affects the {gnoun2}.",
    "In particular, the {gadj} {gnoun} helps when the {gnoun2} is {gadj2}.",
    "The {gadj} {gnoun} remains an open {gnoun2} for {task}.",
    "Finally, we discuss the {gadj} {gnoun} and directions for future work.",
    "We also {gverb} the {gnoun} on a {gadj} {gnoun2} with {count} examples.",
    "Compared to the {gadj} {gnoun}, our {gnoun2} uses {num} times less {gnoun3}.",
    "A {gadj} {gnoun} of the {gnoun2} shows where the {gnoun3} comes from.",
]

TEX_BITS = [
    ("with $O(n \\log n)$ complexity", "with $O(n \\log n)$ complexity"),
    ("under an $\\ell_2$ penalty", "under an $\\ell_2$ penalty"),
    ("and is \\emph{not} sensitive to noise", "and is not sensitive to noise"),
    ("reaching {num}\\% recall", "reaching {num}% recall"),
    ("using $k$-NN search", "using $k$-NN search"),
    ("with an F$_1$ of 0.{num}", "with an F$_1$ of 0.{num}"),
    ("in the {\\em zero-shot} regime", "in the zero-shot regime"),
    ("for $\\lambda \\in [0, 1]$", "for $\\lambda \\in [0, 1]$"),
    ("at 10--20 times lower cost", "at 10–20 times lower cost"),
]

NOTE_TEMPLATES = [
    "Key idea: {adj} {noun} for {task}. **Compare** with {Name} before the reading group.",
    "Read for the survey. The {prop} argument in section 3 is weak; check the {dataset} numbers.",
    "- strong baseline for {task}\n- code works, but needs {adj} {noun}\n- cite in chapter 2",
    "> {Adj} {noun} can {verb} {noun2}.\n\nI doubt this holds beyond {dataset}.",
]

SYLLABLES = _w("""ka lo mi ra ne to vi sa zu pe da qi xo bu fe gra tron lex nova rank bert
sys net gen med law sci code math vis aud qa doc web""")
