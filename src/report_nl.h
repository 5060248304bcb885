/* report_nl.h - every Dutch word the HTML report shows, in one place.
 *
 * report.c never writes interface text of its own: it takes it from a
 * ts_report_text, so `--lang en` needs only a report_en.h with a second
 * instance (move the struct type into report_text.h then) and a switch.
 * Labels of codes come from the rule pack itself (the part of a code's
 * "explain" before the colon), so they follow the pack's language.
 *
 * Members whose name ends in _fmt are printf formats; the comment says
 * which arguments they take, in order. Every string here is trusted text
 * written into HTML as it is: keep '<', '&' and quotes out of it, or write
 * them as entities.
 */
#ifndef TS_REPORT_NL_H
#define TS_REPORT_NL_H

typedef struct ts_report_text {
    const char *lang;           /* <html lang> */
    char decimal;               /* decimal separator */
    /* page and header */
    const char *doc_title_fmt;  /* %s session name */
    const char *cmp_title_fmt;  /* %s name A, %s name B */
    const char *kicker;         /* above the session name */
    const char *date, *duration, *turns, *talk_share, *unknown;
    const char *turns_detail_fmt;     /* %zu professional turns, %zu client turns */
    const char *failed_fmt;           /* %zu turns that could not be read */
    const char *open_failed;          /* the transcript could not be read at all */
    const char *share_words;          /* after a percentage: "of the words" */
    const char *share_seconds;        /* after a percentage: "of the speaking time" */
    const char *talk_bar_prof, *talk_bar_client;
    const char *talk_note;
    const char *min_unit, *sec_unit, *hour_unit;
    const char *nav_label;
    /* section headings and intros */
    const char *h_cmp, *h_key, *h_points, *h_timeline, *h_profile, *h_scale, *h_transcript;
    const char *cmp_intro_fmt;        /* %s name A, %s name B */
    const char *cmp_figure, *cmp_change, *cmp_first, *cmp_later;
    const char *cmp_better, *cmp_worse, *cmp_same;
    const char *pct_point;            /* unit of a change between two percentages */
    const char *cmp_then_fmt;         /* %s name B */
    const char *key_intro;
    const char *key_help_title, *key_help;  /* the card that explains the cards */
    const char *points_intro;
    const char *h_strengths, *h_work;
    const char *no_strengths, *no_work;
    const char *timeline_intro, *timeline_prof, *timeline_client, *timeline_none, *timeline_streak;
    const char *timeline_uncoded;
    const char *profile_intro_fmt;    /* %s moves, %s per 10 professional turns */
    const char *profile_first;        /* "first:" before a turn link */
    const char *scale_intro;
    const char *scale_axis;           /* y axis caption */
    const char *transcript_intro;
    const char *transcript_none;
    const char *turn_word;            /* "Beurt" */
    const char *turn_abbr;            /* "beurt" (in running text) */
    const char *rule_word, *tip_word, *code_word;
    const char *why_alt_fmt;          /* %s the rewritten question */
    const char *why_alt_generic;
    /* conversation structure */
    const char *h_structure, *structure_intro;
    const char *band_phase, *band_talk;
    const char *phase_names[4];       /* situation, desired, exceptions, next_step */
    const char *pillar_names[3];      /* perspective, possibilism, progression */
    const char *talk_problem, *talk_solution;
    const char *phase_col, *pillar_col, *turns_col, *share_col;
    const char *order_fmt;            /* %s the phases in the order reached */
    const char *jumped_warn;
    const char *talk_course_fmt;      /* %s first third, %s last third */
    const char *ia_title, *ia_unclear, *ia_names[3], *ia_evidence, *ia_changed_fmt, *ia_help[3];
    const char *footer_fmt;           /* %s taalspel version, %s rule-pack version */
    const char *footer_note;
    const char *footer_no_pack;
    /* levels: good, fair, below, none */
    const char *level_good, *level_fair, *level_below, *level_none;
    const char *role_prof, *role_client, *role_other, *role_unknown;
    /* key figures: name, what it means and why it matters, the counts
     * behind it, and what "–" means when the denominator is missing */
    const char *m_rq, *m_rq_why, *m_rq_count_fmt, *m_rq_none; /* count: %s refl, %s questions */
    const char *m_cr, *m_cr_why, *m_cr_count_fmt, *m_cr_none; /* %s complex, %s refl */
    const char *m_oq, *m_oq_why, *m_oq_count_fmt, *m_oq_none; /* %s open, %s questions */
    const char *m_ct, *m_ct_why, *m_ct_count_fmt, *m_ct_none; /* %s change, %s sustain */
    const char *m_why, *m_why_why, *m_why_count_fmt;          /* %s why, %s questions */
    const char *m_share;                                       /* comparison only */
    const char *m_sf;                                          /* comparison only */
    /* families (timeline legend) */
    const char *fam_question, *fam_why, *fam_reflection, *fam_summary, *fam_affirmation,
        *fam_compliment, *fam_permission, *fam_information, *fam_advice, *fam_autonomy, *fam_sf,
        *fam_change, *fam_sustain, *fam_scale, *fam_other;
    /* strengths: title, then the sentence (formats say their arguments) */
    const char *s_refl, *s_refl_text, *s_refl_ct_text;
    const char *s_summary, *s_summary_text;
    const char *s_rq, *s_rq_text_fmt;      /* %s R:Q */
    const char *s_open, *s_open_text_fmt;  /* %s open, %s questions */
    const char *s_sf, *s_sf_text_fmt;      /* %s list of moves */
    const char *s_affirm, *s_affirm_text;
    const char *s_perm, *s_perm_text;
    const char *s_auton, *s_auton_text;
    const char *s_ct, *s_ct_text_fmt;      /* %s percentage */
    const char *s_listen, *s_listen_text_fmt; /* %s percentage */
    /* work points */
    const char *w_why, *w_why_text, *w_why_more_fmt; /* %zu count */
    const char *w_missed, *w_missed_text, *w_missed_more_fmt, *w_missed_try; /* %zu */
    const char *w_streak, *w_streak_text_fmt;  /* %zu questions, %zu first turn, %zu last turn */
    const char *w_closed, *w_closed_text_fmt;  /* %zu closed questions in a row */
    const char *w_advice, *w_advice_text;
    const char *w_rq, *w_rq_text;
    const char *w_cr, *w_cr_text;
    const char *w_open, *w_open_text;
    const char *w_talk, *w_talk_text_fmt;      /* %s percentage */
    const char *w_compl, *w_compl_text;
} ts_report_text;

static const ts_report_text ts_report_nl = {
    .lang = "nl",
    .decimal = ',',
    .doc_title_fmt = "Feedbackverslag: %s",
    .cmp_title_fmt = "Vergelijking: %s en %s",
    .kicker = "Feedbackverslag oefengesprek",
    .date = "Datum",
    .duration = "Duur",
    .turns = "Beurten",
    .talk_share = "Spreekaandeel professional",
    .unknown = "onbekend",
    .turns_detail_fmt = "%zu professional, %zu cliënt",
    .failed_fmt = "Let op: %zu beurten konden niet gelezen worden en ontbreken in dit verslag.",
    .open_failed = "Let op: dit transcript kon niet gelezen worden.",
    .share_words = "van de woorden",
    .share_seconds = "van de spreektijd",
    .talk_bar_prof = "professional",
    .talk_bar_client = "cliënt",
    .talk_note = "In een motiverend gesprek is de cliënt meestal meer aan het woord dan de professional.",
    .min_unit = "min",
    .sec_unit = "s",
    .hour_unit = "u",
    .nav_label = "Inhoud",
    .h_cmp = "Vergelijking",
    .h_key = "Kerncijfers",
    .h_points = "Sterke punten en werkpunten",
    .h_timeline = "Tijdlijn",
    .h_profile = "Oplossingsgericht profiel",
    .h_scale = "Schaalvragen",
    .h_transcript = "Transcript",
    .cmp_intro_fmt = "De kerncijfers van <b>%s</b> (eerst) en <b>%s</b> (later) naast elkaar.",
    .cmp_figure = "Kerncijfer",
    .cmp_change = "Verandering",
    .cmp_first = "Eerst",
    .cmp_later = "Later",
    .cmp_better = "beter",
    .cmp_worse = "minder",
    .cmp_same = "gelijk",
    .pct_point = "procentpunt",
    .cmp_then_fmt = "Hieronder volgt het volledige verslag van %s.",
    .key_intro = "De samenvattende cijfers van MITI 4.2.1 en de cliënttaal, met de norm als meter.",
    .key_help_title = "Zo lees je de meters",
    .key_help = "Het zwarte streepje is jouw score. Rood is onder de norm, geel redelijk, groen goed. Een streepje (&#8211;) betekent dat het cijfer niet te berekenen is, bijvoorbeeld omdat er geen vragen waren; dat is geen 0. De cijfers komen uit automatische codering: lees ze als gespreksstof, niet als oordeel.",
    .points_intro = "Afgeleid uit de codes, met de beurt die het laat zien. Klik op een beurt om hem in het transcript te lezen.",
    .h_strengths = "Sterke punten",
    .h_work = "Werkpunten",
    .no_strengths = "Nog geen sterke punten te zien in de codes. Bespreek met je trainer wat goed ging.",
    .no_work = "Geen werkpunten gevonden in de codes.",
    .timeline_intro = "Elk blokje is een beurt, gekleurd naar wat er gebeurde. Zo zie je waar je vooral vroeg, waar je reflecteerde en waar de verandertaal opkwam. Klik op een blokje om de beurt te lezen.",
    .timeline_prof = "Professional",
    .timeline_client = "Cliënt",
    .timeline_none = "Geen beurten om te tonen.",
    .timeline_streak = "vragenreeks zonder reflectie",
    .timeline_uncoded = "geen code",
    .profile_intro_fmt = "%s oplossingsgerichte interventies, %s per 10 beurten van de professional.",
    .profile_first = "eerst in",
    .scale_intro = "De cijfers die de cliënt gaf op schaalvragen, in de volgorde van het gesprek.",
    .scale_axis = "schaal",
    .transcript_intro = "Gecodeerde stukken zijn gemarkeerd. Beweeg over een label of tik erop voor de uitleg en een tip.",
    .transcript_none = "Dit transcript bevat geen beurten.",
    .turn_word = "Beurt",
    .turn_abbr = "beurt",
    .rule_word = "Waarom deze code",
    .tip_word = "Tip",
    .code_word = "Code",
    .why_alt_fmt = "Probeer eens: &#8216;%s&#8217;",
    .why_alt_generic = "Probeer eens: &#8216;Wat maakt dat&#8230;?&#8217; of &#8216;Hoe komt het dat&#8230;?&#8217;",
    .h_structure = "Gespreksopbouw",
    .structure_intro = "Hoe het gesprek is opgebouwd: de fasen van de empowermentcirkel, de pijlers van PRIMA, probleem- en oplossingspraat, en wat voor klant de cliënt lijkt.",
    .band_phase = "Fase",
    .band_talk = "Praat",
    .phase_names = {"Huidige situatie", "Gewenste situatie", "Uitzonderingen en successen", "Volgende stap"},
    .pillar_names = {"Perspectief", "Possibilisme", "Progressie"},
    .talk_problem = "probleempraat",
    .talk_solution = "oplossingspraat",
    .phase_col = "Fase",
    .pillar_col = "Pijler",
    .turns_col = "Beurten",
    .share_col = "Aandeel",
    .order_fmt = "Volgorde waarin de fasen voor het eerst aan bod kwamen: %s.",
    .jumped_warn = "Let op: er werd naar een volgende stap gevraagd voordat de gewenste situatie besproken was. Verken eerst waar de cliënt naartoe wil.",
    .talk_course_fmt = "Oplossingspraat van de cliënt: %s in het eerste derde van het gesprek, %s in het laatste derde.",
    .ia_title = "Type klant",
    .ia_unclear = "onduidelijk",
    .ia_names = {"bezoeker", "klager", "klant"},
    .ia_evidence = "blijkt uit beurt",
    .ia_changed_fmt = "vanaf beurt %zu: %s",
    .ia_help = {"Een bezoeker noemt geen probleem of is gestuurd: sluit aan bij wat hij wél wil.",
                "Een klager legt de oplossing bij een ander: erken het probleem en zoek wat hij zelf wil.",
                "Een klant wil zelf aan de slag: werk met doelen en kleine stappen."},
    .footer_fmt = "Gemaakt met taalspel %s, regelset %s.",
    .footer_note = "Dit is automatische codering om met je trainer te bespreken, geen beoordeling. De computer mist toon, stiltes en context; jouw trainer niet.",
    .footer_no_pack = "zonder versie",
    .level_good = "goed",
    .level_fair = "redelijk",
    .level_below = "onder",
    .level_none = "n.v.t.",
    .role_prof = "professional",
    .role_client = "cliënt",
    .role_other = "overig",
    .role_unknown = "onbekend",

    .m_rq = "Reflecties : vragen",
    .m_rq_why = "Reflecties per vraag. Wie reflecteert, laat horen dat hij luistert, en de cliënt blijft aan het woord. MITI: 1 is redelijk, 2 is goed.",
    .m_rq_count_fmt = "%s reflecties, %s vragen",
    .m_rq_none = "Geen vragen gecodeerd, dus geen verhouding te berekenen.",
    .m_cr = "Complexe reflecties",
    .m_cr_why = "Reflecties die iets toevoegen (een gevoel, wens of waarde) brengen het gesprek verder dan herhalen. MITI: 40% is redelijk, 50% is goed.",
    .m_cr_count_fmt = "%s van %s reflecties",
    .m_cr_none = "Geen reflecties gecodeerd, dus geen percentage te berekenen.",
    .m_oq = "Open vragen",
    .m_oq_why = "Open vragen laten de cliënt zelf vertellen en verkennen. Norm van taalspel: 50% is redelijk, 70% is goed.",
    .m_oq_count_fmt = "%s van %s vragen",
    .m_oq_none = "Geen vragen gecodeerd, dus geen percentage te berekenen.",
    .m_ct = "Verandertaal",
    .m_ct_why = "Hoe vaker de cliënt zelf v&#243;&#243;r verandering pleit, hoe groter de kans dat hij echt verandert. Norm van taalspel: 50% is redelijk, 65% is goed.",
    .m_ct_count_fmt = "%s keer verandertaal, %s keer behoudtaal",
    .m_ct_none = "Geen verandertaal of behoudtaal gecodeerd, dus geen percentage te berekenen.",
    .m_why = "Waarom-vragen",
    .m_why_why = "Een waarom-vraag klinkt al snel als &#8216;verantwoord je maar&#8217;; &#8216;Wat maakt dat&#8230;?&#8217; nodigt uit tot vertellen. Norm van taalspel: geen is goed, hoogstens 1 per 10 vragen is redelijk.",
    .m_why_count_fmt = "%s van %s vragen",
    .m_share = "Spreekaandeel professional",
    .m_sf = "Oplossingsgerichte interventies per 10 beurten",

    .fam_question = "Vraag",
    .fam_why = "Waarom-vraag",
    .fam_reflection = "Reflectie",
    .fam_summary = "Samenvatting",
    .fam_affirmation = "Bekrachtiging",
    .fam_compliment = "Compliment",
    .fam_permission = "Toestemming",
    .fam_information = "Informatie",
    .fam_advice = "Advies",
    .fam_autonomy = "Autonomie",
    .fam_sf = "Oplossingsgericht",
    .fam_change = "Verandertaal",
    .fam_sustain = "Behoudtaal",
    .fam_scale = "Schaalantwoord",
    .fam_other = "Overig",

    .s_refl = "Een reflectie die verder gaat",
    .s_refl_text = "Je voegde betekenis toe aan wat de cliënt zei, in plaats van het alleen te herhalen.",
    .s_refl_ct_text = "Direct na verandertaal gaf je een complexe reflectie: zo hoort de cliënt zijn eigen reden om te veranderen nog eens, en sterker.",
    .s_summary = "Je vatte samen",
    .s_summary_text = "Met een samenvatting zet je op een rij wat de cliënt zei; dat geeft overzicht en een natuurlijk moment om verder te gaan.",
    .s_rq = "Je luistert meer dan je vraagt",
    .s_rq_text_fmt = "Je gaf %s reflecties per vraag. Zo blijft de cliënt aan het woord.",
    .s_open = "Vooral open vragen",
    .s_open_text_fmt = "%s van je %s vragen waren open: de cliënt kon vertellen in plaats van alleen ja of nee te zeggen.",
    .s_sf = "Oplossingsgerichte vragen ingezet",
    .s_sf_text_fmt = "Je gebruikte: %s. Zo richt je het gesprek op wat de cliënt wil en wat al lukt.",
    .s_affirm = "Je bekrachtigde de cliënt",
    .s_affirm_text = "Je benoemde een kracht of inzet van de cliënt. Dat geeft vertrouwen om te veranderen.",
    .s_perm = "Je vroeg toestemming",
    .s_perm_text = "Je vroeg of de cliënt informatie of advies wilde horen. Zo blijft de cliënt aan het roer.",
    .s_auton = "Je legde de keuze bij de cliënt",
    .s_auton_text = "Je benadrukte dat de cliënt zelf beslist. Dat vermindert weerstand.",
    .s_ct = "Veel verandertaal",
    .s_ct_text_fmt = "%s van de cliënttaal over veranderen pleitte v&#243;&#243;r verandering.",
    .s_listen = "De cliënt kreeg de ruimte",
    .s_listen_text_fmt = "Je sprak %s van de woorden; de cliënt was meer aan het woord.",

    .w_why = "Een waarom-vraag",
    .w_why_text = "Een waarom-vraag kan klinken als een verwijt en lokt verdediging uit.",
    .w_why_more_fmt = "Dat gebeurde %zu keer in dit gesprek.",
    .w_missed = "Verandertaal niet opgepakt",
    .w_missed_text = "De cliënt sprak over veranderen, maar je ging verder zonder het terug te geven. Een reflectie op verandertaal is het sterkste wat je daar kunt doen.",
    .w_missed_more_fmt = "Dat gebeurde %zu keer; hier het eerste.",
    .w_missed_try = "Probeer eerst te reflecteren, bijvoorbeeld beginnend met &#8216;Je wilt&#8230;&#8217; of &#8216;Voor jou is het belangrijk dat&#8230;&#8217;.",
    .w_streak = "Veel vragen achter elkaar",
    .w_streak_text_fmt = "%zu vragen op rij zonder reflectie (beurt %zu tot %zu). Wissel een vraag af met een reflectie van wat je hoorde; twee reflecties per vraag is het doel.",
    .w_closed = "Gesloten vragen op rij",
    .w_closed_text_fmt = "%zu gesloten vragen achter elkaar. Maak er een open vraag van: &#8216;Hoe&#8230;&#8217;, &#8216;Wat&#8230;&#8217;, &#8216;Vertel eens&#8230;&#8217;.",
    .w_advice = "Advies zonder toestemming",
    .w_advice_text = "Je gaf advies voordat de cliënt erom vroeg. Vraag eerst &#8216;Mag ik je iets vertellen over&#8230;?&#8217; en vraag daarna wat de cliënt ervan vindt.",
    .w_rq = "Meer reflecteren",
    .w_rq_text = "Je stelde meer vragen dan je reflecteerde. Zeg na een antwoord eens terug wat je hoorde, in plaats van meteen de volgende vraag te stellen.",
    .w_cr = "Reflecties verdiepen",
    .w_cr_text = "Je reflecties herhaalden vooral wat de cliënt zei. Voeg eens een gevoel, wens of waarde toe: &#8216;Je maakt je zorgen over&#8230;&#8217;.",
    .w_open = "Meer open vragen",
    .w_open_text = "Veel van je vragen waren gesloten. Een open vraag (&#8216;Hoe&#8230;&#8217;, &#8216;Wat&#8230;&#8217;) laat de cliënt zelf vertellen.",
    .w_talk = "Veel zelf aan het woord",
    .w_talk_text_fmt = "Je sprak %s van de woorden. Laat stiltes vallen en geef de cliënt meer ruimte.",
    .w_compl = "Van compliment naar bekrachtiging",
    .w_compl_text = "Een compliment vanuit jezelf (&#8216;ik vind&#8230;&#8217;) werkt minder sterk dan een bekrachtiging in je-vorm: &#8216;Jij hebt doorgezet&#8217;.",
};

/* Dutch grammar for rewriting "Waarom stop je ...?" as "Wat maakt dat je
 * ... stopt?": the subject pronouns after an inverted verb, the finite verbs
 * whose second-person form is irregular or that are past tense, modal and
 * auxiliary verbs (their non-finite verb stays last), and separable particles
 * that join the verb at the end ("zet je de pc uit" -> "de pc uitzet"). */
static const char *const ts_nl_why_lead = "Wat maakt dat";
static const char *const ts_nl_subjects[] = {"je", "jij", "u", "hij", "zij", "ze", "we", "wij", "jullie",
                                             "ik", "het", "men", NULL};
/* inverted form -> form after "je" in a subordinate clause */
static const char *const ts_nl_je_forms[][2] = {
    {"ben", "bent"}, {"heb", "hebt"}, {"kun", "kunt"}, {"wil", "wilt"}, {"zal", "zult"}, {"kan", "kan"},
    {"mag", "mag"},  {"zou", "zou"},  {"ga", "gaat"},  {"sta", "staat"}, {"sla", "slaat"}, {"doe", "doet"},
    {"zie", "ziet"}, {"is", "is"},    {NULL, NULL}};
static const char *const ts_nl_past[] = {
    "deed", "had", "was", "ging", "kon", "zat", "kwam", "liep", "zag", "wist", "moest", "mocht", "zei", "nam",
    "gaf", "bleef", "werd", "vond", "dacht", "bracht", "kocht", "zocht", "hield", "viel", "las", "at", "stond",
    "lag", "koos", "begon", "vroeg", "zou", "wilde", "waren", "hadden", NULL};
static const char *const ts_nl_aux[] = {"ben", "bent", "is", "heb", "hebt", "heeft", "had", "was", "wil", "wilt",
                                        "kun", "kunt", "kan", "moet", "mag", "zou", "zal", "ga", "gaat", "wilde",
                                        "kon", "moest", "mocht", "hoef", "hoeft", "durf", "durft", "word", "wordt",
                                        "werd", NULL};
/* words that start like a participle (ge...t/d/en) but are not one */
static const char *const ts_nl_not_participle[] = {"gewoon", "genoeg", "gezond", "gerust", "geleden", "gelijk",
                                                   "gezellig", "geduld", "gedachten", "gevoelens", "gevolgen", NULL};
static const char *const ts_nl_particles[] = {"op", "af", "uit", "in", "aan", "mee", "om", "door", "terug", "weg",
                                              "toe", "na", "over", "bij", "tegen", "samen", "los", "vast", NULL};

#endif
