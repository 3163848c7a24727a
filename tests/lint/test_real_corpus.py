"""The linter on real published text (tests/lint/real/): figures on the development sets the rules were
tuned on (dev, and dev_b, collected blind later), and on the held-out half they never saw. The held-out
floors are figures measured on an earlier version of the rules (README, "Script linter on real text");
whoever scores the held-out half for a new rule version sets them. They guard against regressions and are
far below the targets (precision 0.95, recall 0.90). Never tune rules on a held-out set.
"""

from __future__ import annotations

import pytest

from guard.core.lint_scorer import SCORER_RULE
from tests.lint.real_corpus import as_scripts, available, load, score

# (precision, recall, quotes flagged at most) as measured; see the README. dev_b and dev_c are the second and
# third development sets (each collected blind, scored once, then tuned on); the held-out floors are set by
# whoever scores them, once per rule version.
# Rules of 2026-12-02 (before corpus C): heldout P 0.789 R 0.638, 6/39 quotes flagged; heldout_b P 0.747 R 0.571,
# 8/60; and, scored blind when corpus C arrived, dev_c P 0.700 R 0.538, 6/33; heldout_c P 0.714 R 0.510, 5/50.
# Rules of 2026-12-03 (tuned on dev_c): dev_c P 0.897 R 0.800, 1/33; heldout P 0.800 R 0.638, 6/39; heldout_b
# P 0.739 R 0.571, 8/60; heldout_c P 0.714 R 0.510, 5/50: the tuning did not carry over to unseen text.
# Corpus D (collected blind after that tuning, not tuned on yet), scored once: dev_d P 0.517 R 0.437, 10/44;
# heldout_d P 0.691 R 0.580, 9/40.
# The pack of 2026-12-03 with the learned scorer, first version (trained on dev … dev_d; README "The learned
# scorer"): heldout P 0.824 R 0.894, 8/39; heldout_b P 0.701 R 0.807, 11/60; heldout_c P 0.714 R 0.765, 9/50;
# heldout_d P 0.701 R 0.840, 9/40 (pooled P 0.732 R 0.824, 37/189; the rules alone 0.738 / 0.574, 28/189).
# Corpus E (collected blind after it was built), scored once with that pack: dev_e P 0.628 R 0.771, 6/24; heldout_e
# P 0.722 R 0.814, 6/39 (the rules alone: 0.600 / 0.514, 6/24 and 0.764 / 0.488, 5/39).
# The scorer retrained with dev_e (the figures held here; on the development sets they are in-sample): dev P 1.000
# R 1.000, 0/40; dev_b P 0.991 R 1.000, 0/73; dev_c P 0.914 R 0.985, 1/33; dev_d P 0.704 R 0.972, 10/44; dev_e
# P 0.745 R 1.000, 6/24; scored once on the held-out sets: heldout P 0.810 R 0.862, 8/39; heldout_b P 0.725 R 0.840,
# 10/60; heldout_c P 0.700 R 0.786, 9/50; heldout_d P 0.716 R 0.840, 9/40; heldout_e P 0.747 R 0.791, 6/39 (all five
# pooled P 0.738 R 0.824, 42/228).
# Corpus F (collected blind after that retraining), scored once with that pack: dev_f P 0.733 R 0.710, 3/21;
# heldout_f P 0.579 R 0.702, 7/51 (the rules alone: 0.750 / 0.387, 2/21 and 0.676 / 0.532, 5/51).
# The scorer retrained with dev_f (the figures held here; in-sample on the development sets): dev P 1.000 R 1.000,
# 0/40; dev_b P 1.000 R 0.991, 0/73; dev_c P 0.915 R 1.000, 1/33; dev_d P 0.698 R 0.944, 10/44; dev_e P 0.739
# R 0.971, 6/24; dev_f P 0.871 R 0.871, 2/21; scored once on the held-out sets: heldout P 0.823 R 0.840, 7/39;
# heldout_b P 0.727 R 0.807, 10/60; heldout_c P 0.740 R 0.755, 6/50; heldout_d P 0.716 R 0.840, 9/40; heldout_e
# P 0.711 R 0.744, 5/39; heldout_f P 0.614 R 0.745, 7/51 (all six pooled P 0.730 R 0.792, 44/279).
# Then (2026-12-03) three context words tuned on the development sets (哪有, 误解, doubting questions: the held-out
# figures did not move) and the scorer's root taken of all the sentence's n-grams, found in one automaton pass
# (for speed; retrained, leave-one-set-out P 0.776 R 0.580 against 0.771 / 0.583): the figures held here, in-sample
# on the development sets: dev P 1.000 R 1.000, 0/40; dev_b P 1.000 R 1.000, 0/73; dev_c P 0.915 R 1.000, 1/33; dev_d
# P 0.720 R 0.944, 9/44; dev_e P 0.756 R 0.971, 5/24; dev_f P 0.871 R 0.871, 2/21; scored once on the held-out sets:
# heldout P 0.816 R 0.851, 8/39; heldout_b P 0.712 R 0.790, 10/60; heldout_c P 0.740 R 0.755, 6/50; heldout_d P 0.711
# R 0.852, 9/40; heldout_e P 0.714 R 0.756, 5/39; heldout_f P 0.625 R 0.745, 6/51 (all six pooled P 0.726 R 0.794,
# 44/279).
# Then (2026-12-03, later) ≠ read as 不等于 (guard/core/text.py SYMBOL_WORDS: dev_c 6 -> 5 false alarms, dev_d
# 26 -> 24, nothing lost) and the scorer retrained for it, by the same procedure (leave-one-set-out P 0.774 R 0.575;
# bias 0.214 -> 0.248): dev P 1.000 R 1.000, 0/40; dev_b P 1.000 R 0.991, 0/73; dev_c P 0.929 R 1.000, 1/33; dev_d
# P 0.736 R 0.944, 9/44; dev_e P 0.756 R 0.971, 5/24; dev_f P 0.867 R 0.839, 2/21; scored once on the held-out sets:
# heldout P 0.814 R 0.840, 8/39; heldout_b P 0.720 R 0.798, 10/60; heldout_c P 0.737 R 0.745, 6/50; heldout_d P 0.716
# R 0.840, 9/40; heldout_e P 0.711 R 0.744, 5/39; heldout_f P 0.614 R 0.745, 7/51 (all six pooled P 0.726 R 0.789,
# 45/279: the retrained scorer's noise, as before). Then 营业员 (營業員, Taiwan's word for a bank's or broker's
# salesperson) among the subjects of reported speech: dev_f P 0.897 R 0.839, 1/21; the held-out sets unchanged.
# Then the scorer's trainer visits its examples in a content-keyed order (policies/lint_scorer_train.py; dropping
# three passages moves the scores 0.03-0.09 instead of 0.56-0.59, bench/lint_scorer_stability.py), retrained:
# leave-one-set-out P 0.800 R 0.573, 11 quotes (was 0.774 / 0.575, 20); dev P 1.000 R 1.000, 0/40; dev_b P 1.000
# R 1.000, 0/73; dev_c P 0.929 R 1.000, 1/33; dev_d P 0.745 R 0.986, 9/44; dev_e P 0.744 R 0.914, 5/24; dev_f
# P 0.909 R 0.968, 1/21; scored once on the held-out sets: heldout P 0.806 R 0.840, 7/39; heldout_b P 0.722 R 0.807,
# 9/60; heldout_c P 0.745 R 0.745, 6/50; heldout_d P 0.713 R 0.827, 9/40; heldout_e P 0.710 R 0.767, 6/39;
# heldout_f P 0.586 R 0.723, 7/51 (all six pooled P 0.723 R 0.790, 44/279: the same, within the noise).
# Corpus G (collected blind after that, not tuned or trained on yet), scored once with that pack: dev_g P 0.594
# R 0.837, 12/41; heldout_g P 0.660 R 0.744, 11/43 (the rules alone: 0.595 / 0.510, 12/41 and 0.695 / 0.477, 10/43).
# Then the scorer retrained with dev_g, by the same procedure (seven development sets, 1,209 passages; leave-one-set-out
# P 0.799 R 0.553, 14 quotes; bias and threshold 0.186 -> 0.345): dev P 1.000 R 1.000, 0/40; dev_b P 1.000 R 1.000,
# 0/73; dev_c P 0.926 R 0.969, 1/33; dev_d P 0.721 R 0.873, 9/44; dev_e P 0.750 R 0.943, 5/24; dev_f P 0.897
# R 0.839, 1/21; dev_g P 0.742 R 1.000, 12/41; scored once on the held-out sets: heldout P 0.798 R 0.798, 7/39;
# heldout_b P 0.731 R 0.798, 10/60; heldout_c P 0.742 R 0.704, 5/50; heldout_d P 0.703 R 0.790, 9/40; heldout_e
# P 0.765 R 0.756, 6/39; heldout_f P 0.593 R 0.681, 6/51; heldout_g P 0.674 R 0.721, 11/43 (the first six pooled
# P 0.731 R 0.762, 43/279, was 0.723 / 0.790, 44/279; all seven P 0.723 R 0.756, 54/322).
# Then real customers' replies on calls among the ordinary text (half trained on as negatives, half held back under
# the false-alarm cap; policies/lint_scorer_train.py): leave-one-set-out P 0.824 R 0.526, 13 quotes, margin 0 -> 0.4;
# held-back replies flagged 10 -> 5 of 41: dev P 1.000 R 1.000, 0/40; dev_b P 1.000 R 1.000, 0/73; dev_c P 0.925
# R 0.954, 1/33; dev_d P 0.724 R 0.887, 9/44; dev_e P 0.732 R 0.857, 5/24; dev_f P 0.897 R 0.839, 1/21; dev_g P 0.734
# R 0.959, 12/41; scored once on the held-out sets: heldout P 0.794 R 0.819, 8/39; heldout_b P 0.718 R 0.790, 10/60;
# heldout_c P 0.744 R 0.684, 5/50; heldout_d P 0.690 R 0.741, 9/40; heldout_e P 0.747 R 0.721, 6/39; heldout_f
# P 0.630 R 0.723, 6/51; heldout_g P 0.667 R 0.721, 11/43 (all seven pooled P 0.718 R 0.746, 55/322, was 0.723 /
# 0.756, 54/322).
# Then rules from dev_g and dev_h (a fund's standard risk-return wording, A-not-A questions, a closing window; items of a
# legal enumeration, examples of wording a rule names: guard/core/lint.py LEGAL_ITEM, EXAMPLES_OF_WORDING), the scorer
# unchanged: the development sets as before but dev_c … dev_g pooled 1 false alarm fewer; scored once on the held-out
# sets: every one as before except heldout_g P 0.674 R 0.721, 10/43 (all seven pooled P 0.719 R 0.746, 54/322).
# Then a clause opening with 称/声称 after a comma as reported speech (CLAUSE_CLAIMS; dev_g g0110): development sets
# one false alarm fewer; scored once on the held-out sets: as before but heldout_e P 0.756 R 0.721, 5/39 (all seven
# pooled P 0.720 R 0.746, 53/322).
# Then a quotation right after a verb of promising (PROMISED_BY: 承诺“保本保息”, 又保證「…」): dev_c P 0.925 R 0.954, 1/33;
# dev_d P 0.741 R 0.887, 7/44; dev_e P 0.732 R 0.857, 5/24; dev_f P 0.929 R 0.839, 1/21; dev_g P 0.800 R 0.980, 9/41;
# scored once on the held-out sets: heldout_b P 0.723 R 0.790, 9/60; heldout_c P 0.753 R 0.684, 4/50; heldout_d
# P 0.698 R 0.741, 8/40; the others as before (all seven pooled P 0.724 R 0.746, 50/322).
# Then a tactic described (TACTIC: 营造…的紧张氛围, 營造出「穩賺」的假象): dev_e P 0.750 R 0.857, 4/24; dev_h 9/65; scored
# once on the held-out sets: every one as before.
# Then the rules' sentence frames (reports, reported speech, questions, disclaimers; not a statute cited by title) hold
# for the scorer's findings too (leave-one-set-out on the development sets, bench/lint_scorer_frames.py: false alarms
# 108 -> 98, no hit lost): the development sets as before (the scorer is in-sample there), dev_h 8/65; scored once on
# the held-out sets: heldout P 0.817 R 0.809, 7/39; heldout_b P 0.729 R 0.790, 9/60; heldout_c P 0.761 R 0.684, 4/50;
# heldout_d P 0.698 R 0.741, 8/40; heldout_e P 0.792 R 0.709, 4/39; heldout_f P 0.630 R 0.723, 6/51; heldout_g P 0.681
# R 0.721, 9/43 (all seven pooled P 0.735 R 0.743, 47/322: 10 false alarms fewer, 2 hits lost).
# Corpus I (telephone selling; collected blind after that, not tuned or trained on yet), scored once with that pack: dev_i
# P 0.718 R 0.509, 9/61; heldout_i P 0.722 R 0.591, 7/56 (the rules alone: 0.750 / 0.382, 7/61 and 0.740 / 0.420, 7/56).
# Then 强调 as a verb of reported speech (销售人员一再强调…; not 要强调, an instruction): dev_g P 0.814 R 0.980, 8/41;
# dev_i P 0.778 R 0.509, 6/61; scored once on the held-out sets: heldout P 0.826 R 0.809, 6/39, the others as before
# (all seven pooled P 0.736 R 0.743, 46/322; with heldout_i, all eight P 0.734 R 0.724, 53/378).
# Corpus J (deposit marketing; collected blind after that, not tuned or trained on yet), scored once with that pack: dev_j
# P 0.625 R 0.357, 4/20; heldout_j P 0.579 R 0.449, 11/59 (the rules alone: 0.545 / 0.143, 4/20 and 0.476 / 0.204, 10/59).
# Then deposits taken by gifts or by interest off the books (deposit.gift_for_deposit, deposit.interest_off_the_books;
# 银保监办发〔2018〕48号, the 2024 ban on 手工补息; written from dev_j): dev_j P 0.706 R 0.571, 5/20, the other development sets
# as before; scored once on the held-out sets: heldout_j P 0.592 R 0.592, 14/59 (7 hits more, 1 false alarm and 3 reports
# flagged more), the others as before.
# Corpus K (lines of real scripts, every line of a run kept; collected blind after that, README "Corpus K"), scored once
# with that pack, each line alone: dev_k P 0.500 R 0.833, heldout_k P 0.135 R 0.538 (45 of its 201 cleared lines
# flagged, all by the scorer; the rules alone flag none of the 273 cleared lines of both halves).
# Then the scorer trained with dev_k as an eighth development set (its margin raised 0.35 -> 0.65 for the model that
# ships to keep the 5 % cap; main README item 25), in-sample on the development sets: dev_c P 0.928 R 0.985, 1/33;
# dev_d P 0.750 R 0.930, 7/44; dev_e P 0.762 R 0.914, 4/24; dev_f P 0.933 R 0.903, 1/21; dev_g P 0.814 R 0.980, 8/41;
# dev_i P 0.778 R 0.509, 6/61; dev_j P 0.730 R 0.643, 6/20; dev_k P 1.000 R 1.000; scored once on the held-out sets:
# heldout P 0.824 R 0.798, 6/39; heldout_b P 0.734 R 0.790, 8/60; heldout_c P 0.756 R 0.694, 4/50; heldout_d P 0.686
# R 0.728, 8/40; heldout_e P 0.800 R 0.744, 4/39; heldout_f P 0.630 R 0.723, 6/51; heldout_g P 0.670 R 0.709, 9/43;
# heldout_i P 0.743 R 0.625, 7/56; heldout_j P 0.566 R 0.612, 15/59 (nine pooled P 0.723 R 0.722, 67/437, before
# P 0.725 R 0.715); heldout_k P 0.194 R 0.462, 25 of 201 cleared lines flagged (20 when each run is linted whole).
# Corpus L (more lines of real scripts: insurance, cards, loans; collected blind after that), scored once with that pack,
# each line alone: dev_l P 0.600 R 0.600, heldout_l P 0.625 R 0.500, 0/1 (the rules alone flag none of the 116 cleared
# lines; the seven-set scorer before item 25 warned on 11 of them, the shipped one on 8). Not trained on (item 26).
# Corpus M (more lines of real scripts: wealth, funds, securities, deposits; collected blind after that), scored once with
# that pack, each line alone: dev_m P 0.167 R 0.500, heldout_m P 0.214 R 0.500, 0/1 (the rules alone flag 6 of dev_m's
# 101 cleared lines and 5 of heldout_m's 97: the first real script lines they flag). Then a broker's commission (佣金费率为
# 万分之3) excepted from loan.rate_not_annualized (from dev_m): dev_m P 0.222 R 0.500; scored once on the held-out sets:
# no figure moved. Two retrains with dev_l and dev_m failed the rule written before scoring (item 27); not trained on.
# Corpus N (3,800 sentences of sellers' published copy, every sentence of a run kept; collected blind after that, README
# "Corpus N"), scored once with that pack, each line alone: dev_n P 0.177 R 0.553, 1/6, heldout_n P 0.231 R 0.733 (the
# rules alone P 0.316 R 0.341 and P 0.441 R 0.556). Then 限额/限期 stated as a product's terms excepted from pressure.scarcity
# (from dev_n): dev_n P 0.179 R 0.553; scored once on the held-out sets: no figure moved. Then insurance named a deposit or a
# wealth product (保险理财, 理财保险, 存保险, 存银行…还是…保险) and 兑完即止/送完即止/额满为止 as scarcity (from dev_n): dev_n
# P 0.194 R 0.610; scored once on the held-out sets: heldout_n P 0.233 R 0.741; heldout_c P 0.747 R 0.694, 4/50;
# heldout_e P 0.805 R 0.767, 4/39; heldout_g P 0.663 R 0.709, 9/43 (nine pooled P 0.722 R 0.725, 67/437); the others as before.
# Then 多赚 as a yield claim (from dev_n): dev_n P 0.198 R 0.626; scored once on the held-out sets: no figure moved.
# Then 风险极低/风险很低 as an exaggeration (from dev_n): dev_n P 0.200 R 0.634; scored once on the held-out sets: heldout_n
# P 0.234 R 0.748 (one claim more found, one cleared line more flagged); the others as before.
# Then the report frames of 2026-12-04 (a person named 某 or by a title, a subject left out after 当初/当时/后来, mis-selling
# and 饥饿营销 named, the customer sold to in the passive, 金管會, quotations named an advertisement, a poster, a selling point,
# a trap or a pitch's wording, advice to hang up, no literal hit across a comma; all from development quotes, dev quotes
# flagged 42 -> 26 of 428, no development claim lost), scored once on the held-out sets: nine pooled P 0.725 R 0.723, 63/437
# quotes (was 0.722 / 0.725, 67); heldout_c lost one claim (R 0.694 -> 0.684: floor 0.69 -> 0.68); heldout_h quote_rule
# 1 -> 0 of 65, disclosure 5 -> 4 of 41; heldout_n and the script sets unchanged.
# Then the scorer trained with dev_l, dev_m and dev_n too, as corpus O decided (plan-o.md; README item 30): the development
# sets it now trains on are in-sample (dev_l, dev_m, dev_n); held out, scored once: nine pooled P 0.711 R 0.702, 71/437 quotes
# (was 0.725 / 0.723, 63: the cost on these passages the decision weighed); heldout_n P 0.311 R 0.681 (was 0.234 / 0.748);
# heldout_k P 0.231 R 0.462, heldout_l P 0.667 R 0.400, heldout_m P 0.176 R 0.500. Floors as measured, two decimals down.
# Then corpus P's changes (README item 33: the scorer silent in texts of four sentences or more, rules and frames from dev_p),
# scored once: nine pooled P 0.713 R 0.702, 70/437 (was 0.711 / 0.702, 71); heldout_d P 0.685 R 0.753 (was 0.678 / 0.728),
# heldout_e P 0.750 R 0.698 (was 0.753 / 0.709: a passage of four sentences lost the scorer's finding), heldout_j P 0.544
# R 0.633, 17/59 (was 0.552 / 0.653, 18); dev_f R 0.903 (f0056, a line with a link whose dots cut it into four sentences).
# Then the three engine fixes of plan-r.md (README item 35), judged on heldout_r, scored once here too: nine pooled P 0.715
# R 0.701, 70/437 (was 0.713 / 0.702, 70; F1 0.708 both); heldout_c lost one claim and one false alarm (P 0.723 -> 0.728,
# R 0.694 -> 0.684: floor 0.69 -> 0.68), heldout_g one false alarm (P 0.709 -> 0.718); heldout_n and the script sets unchanged.
FLOORS = {"dev": (0.98, 1.00, 0), "dev_b": (0.99, 1.00, 0), "dev_c": (0.92, 0.95, 0), "dev_d": (0.75, 0.87, 4),
          "dev_e": (0.72, 0.88, 4), "dev_f": (0.96, 0.90, 0), "dev_g": (0.83, 0.91, 4), "heldout": (0.80, 0.76, 6),
          "heldout_b": (0.74, 0.74, 7), "heldout_c": (0.72, 0.68, 6), "heldout_d": (0.67, 0.75, 10),
          "heldout_e": (0.74, 0.69, 6), "heldout_f": (0.60, 0.70, 6), "heldout_g": (0.70, 0.70, 7),
          "dev_i": (0.75, 0.54, 6), "heldout_i": (0.73, 0.56, 7),
          "dev_j": (0.71, 0.66, 5), "heldout_j": (0.54, 0.63, 17),
          "dev_k": (1.00, 1.00, 0), "heldout_k": (0.23, 0.46, 0), "dev_l": (1.00, 0.80, 0), "heldout_l": (0.66, 0.40, 0),
          "dev_m": (0.42, 0.75, 0), "heldout_m": (0.17, 0.50, 0), "dev_n": (0.51, 0.85, 0), "heldout_n": (0.31, 0.68, 0)}
MIN_ITEMS = {"dev": 200, "dev_b": 280, "heldout": 200, "heldout_b": 300, "dev_c": 150, "heldout_c": 220, "dev_d": 190,
             "heldout_d": 190, "dev_e": 130, "heldout_e": 240, "dev_f": 95, "heldout_f": 185,
             "dev_g": 140, "heldout_g": 200, "dev_i": 160, "heldout_i": 210, "dev_j": 100,
             "heldout_j": 150, "dev_k": 75, "heldout_k": 210, "dev_l": 40, "heldout_l": 95, "dev_m": 100,
             "heldout_m": 100, "dev_n": 1850, "heldout_n": 1900}


@pytest.mark.parametrize("half", list(FLOORS))
def test_the_linter_on_real_text_holds_its_measured_figures(half, cn_pack):
    if not available(half):
        pytest.skip(f"{half}.jsonl is not in tests/lint/real/")
    items = load(half)
    # every label; lines of real scripts (corpus K) may hold no quote
    assert len(items) >= MIN_ITEMS[half] and {"flag", "clean"} <= {i.label for i in items} <= {"flag", "clean", "quote"}
    total, _, _ = score(items, cn_pack)
    precision, recall, quotes = FLOORS[half]
    print(f"{half}: precision {total.precision:.3f} recall {total.recall:.3f} quotes flagged {total.quoted_flagged}/{total.quotes}")
    assert total.precision >= precision and total.recall >= recall and total.quoted_flagged <= quotes


def test_the_halves_share_no_source():
    dev, held = load("dev"), load("heldout")
    assert not {i.source for i in dev} & {i.source for i in held}
    assert not {i.text for i in dev} & {i.text for i in held}


# Passages an officer clears, flagged by the shipped pack on all seven held-out sets pooled, per family, as
# measured with the scorer trained with the customer replies (README "The learned scorer"; with the one trained on
# seven development sets before it: 2/53, 27/242, 96/386, 52/269; on the first six:
# quote_rule 1/49, disclosure 22/213, neutral 82/341, quote_report 42/230; with the scorer trained on six in
# content-keyed order 1/49, 23/213, 92/341, 43/230; with the one retrained for ≠ 1/49, 22/213, 89/341, 44/230; with
# the one-pass scorer 1/49, 23/213, 90/341, 43/230; with the scorer before that 1/49, 24/213, 86/341, 43/230; the
# rules alone: 1/49, 19/213, 48/341, 37/230). The target for text quoted to forbid a claim is 0; these are
# ceilings against regressions, not goals. With the rules from dev_g and dev_h: 2/53, 28/242, 96/386, 52/269; with
# CLAUSE_CLAIMS: 2/53, 28/242, 96/386, 51/269; with PROMISED_BY: 2/53, 28/242, 96/386, 48/269; with the sentence frames
# holding for the scorer: 2/53, 25/242, 92/386, 45/269; with 强调 as reported speech: 2/53, 25/242, 92/386, 44/269;
# with the scorer trained with dev_k (fewer warnings on real script lines): 2/53, 26/242, 94/386, 43/269; with corpus N's
# rules (insurance named a deposit or wealth product; stock running out): 2/53, 27/242, 95/386, 43/269; with the report
# frames of 2026-12-04: 1/53, 27/242, 95/386, 41/269; with the scorer trained with dev_l, dev_m, dev_n too (item 30):
# 2/53, 29/242, 94/386, 44/269; with corpus P's changes (item 33): 2/53, 27/242, 94/386, 44/269.
CLEARED_CEILINGS = {"quote_rule": (2, 53), "disclosure": (27, 242), "neutral": (94, 386), "quote_report": (44, 269)}


def test_passages_officers_clear_are_flagged_no_more_often_than_measured(cn_pack):
    halves = ["heldout", "heldout_b", "heldout_c", "heldout_d", "heldout_e", "heldout_f", "heldout_g"]
    if not all(available(h) for h in halves):
        pytest.skip("a held-out set is not in tests/lint/real/")
    _, by_family, _ = score([i for h in halves for i in load(h)], cn_pack, by="family")
    for family, (ceiling, size) in CLEARED_CEILINGS.items():
        s = by_family[family]
        print(f"{family}: {s.fp}/{s.fp + s.tn} flagged")
        assert s.fp + s.tn == size and s.tp + s.fn == 0 and s.fp <= ceiling, family


# Corpus H (tests/lint/real/dev_h, heldout_h; README "Corpus H"): real rules that quote a claim to forbid it and real
# disclaimers, nothing to flag. Scored blind on arrival: dev_h quote_rule 14/65 and disclosure 2/49 flagged, heldout_h 3/65
# and 5/41. After the rules from dev_h (legal enumerations, examples of wording), scored once: dev_h 10/65 and 2/49,
# heldout_h 1/65 and 5/41; with the later frames (CLAUSE_CLAIMS, PROMISED_BY, TACTIC) dev_h 9/65, heldout_h unchanged;
# with the rules' frames holding for the scorer dev_h 8/65 (h0016), heldout_h unchanged.
# With the report frames of 2026-12-04 (饥饿营销, 被推荐购买, 错误的判断, named a trap): dev_h 5/65 and 2/49, heldout_h 0/65 and 4/41.
# With the scorer trained with dev_l, dev_m, dev_n too (item 30): dev_h 5/65 and 2/49, heldout_h 1/65 and 6/41.
# The target for text quoted to forbid a claim is 0: ceilings against regressions.
FORBID_CEILINGS = {"dev_h": {"quote_rule": (5, 65), "disclosure": (2, 49)},
                   "heldout_h": {"quote_rule": (1, 65), "disclosure": (6, 41)}}


@pytest.mark.parametrize("half", sorted(FORBID_CEILINGS))
def test_rules_quoting_a_claim_and_disclaimers_are_flagged_no_more_often_than_measured(half, cn_pack):
    if not available(half):
        pytest.skip(f"{half}.jsonl is not in tests/lint/real/")
    _, by_family, _ = score(load(half), cn_pack, by="family")
    assert set(by_family) == set(FORBID_CEILINGS[half])
    for family, (ceiling, size) in FORBID_CEILINGS[half].items():
        s = by_family[family]
        print(f"{half} {family}: {s.fp}/{s.fp + s.tn} flagged")
        assert s.fp + s.tn == size and s.tp + s.fn == 0 and s.fp <= ceiling, family


def _item(i: int, label: str, site: str):
    from tests.lint.real_corpus import Item

    return Item(f"t{i:04d}", "文本", f"https://{site}/page/{i}", "mainland", "simplified", None, label, (), "", "")


def test_the_interval_resamples_sites_not_passages():
    from tests.lint.real_corpus import interval

    labels = ["flag", "flag", "clean", "flag"] * 10
    flagged = [True, False, True, True] * 10  # precision 20/30, recall 20/30
    one_site = [_item(i, label, f"n{i}.example.com") for i, label in enumerate(labels)]
    many_sites = [_item(i, label, f"site{i}.com") for i, label in enumerate(labels)]
    # one site (sub-domains are one site): every resample draws the same forty passages, nothing varies
    assert interval(one_site, flagged) == ((20 / 30, 20 / 30), (20 / 30, 20 / 30))
    (p_lo, p_hi), (r_lo, r_hi) = interval(many_sites, flagged)
    assert p_lo < 20 / 30 < p_hi and r_lo < 20 / 30 < r_hi
    assert interval(many_sites, flagged) == ((p_lo, p_hi), (r_lo, r_hi))  # seeded
    # all right: precision and recall are 1 in every resample
    assert interval(many_sites, [label == "flag" for label in labels]) == ((1.0, 1.0), (1.0, 1.0))


# Corpus K: lines of real scripts, every line of each run kept (greetings, identity checks, needs, product facts, the
# customer's lines …), the way a reviewer pastes a script. Scored blind, each run linted as one script: the rules
# flagged none of the 273 lines an officer cleared; the scorer warned on 4 of dev_k's 72 and 32 of heldout_k's 201,
# and, trained with dev_k (item 25), on 20 of heldout_k's (in-sample on dev_k: 0).
# Corpus L, scored blind with the shipped pack, as whole scripts: 2 of dev_l's 39 cleared lines, 5 of heldout_l's 77.
# Corpus M (wealth, funds, securities, deposits), scored blind, as whole scripts: the rules flag 6 of dev_m's 101 cleared
# lines (3 after the broker's commission was excepted) and 5 of heldout_m's 97; rules and scorer together 8 (then 5) and 11.
# Corpus N (sellers' published copy, run by run), scored blind, as whole runs: rules and scorer together warn on 306 of dev_n's
# 1,740 cleared lines (301 after the 限额/限期 except) and 317 of heldout_n's 1,796 (318 with 风险极低); the rules alone on
# 89 (84) and 95 (96). With the scorer trained with dev_l, dev_m and dev_n too (item 30; those three in-sample): heldout_k 16,
# heldout_l 3, heldout_m 12, heldout_n 198 (was 20, 5, 11, 318); dev_l 0, dev_m 4, dev_n 102. With 基本金額 excepted from
# insurance.deposit_wording (dev_n n3510, n3513), scored once: heldout_n 197, dev_n 100; the others unchanged.
# With the scorer silent in a text of four sentences or more (README item 33), which every run of these is, and corpus P's
# rules, scored once: heldout_k 0, heldout_l 0, heldout_m 5, heldout_n 94; dev_m 3, dev_n 83 (the rules' lines only).
SCRIPT_LINE_CEILINGS = {"dev_k": 0, "heldout_k": 0, "dev_l": 0, "heldout_l": 0, "dev_m": 3, "heldout_m": 5, "dev_n": 83,
                        "heldout_n": 94}
# Cleared lines the rules alone flag, each run linted whole (K and L: none).
RULE_LINE_CEILINGS = {"dev_k": 0, "heldout_k": 0, "dev_l": 0, "heldout_l": 0, "dev_m": 3, "heldout_m": 5, "dev_n": 84,
                      "heldout_n": 96}


def _cleared_lines(half: str, pack) -> tuple[list, dict[str, list]]:
    """The lines of `half` an officer cleared, and every line's findings with each run linted as one script."""
    if not available(half):
        pytest.skip(f"{half}.jsonl is not in tests/lint/real/")
    items = load(half)
    return [i for i in items if i.label == "clean"], as_scripts(items, pack)


@pytest.mark.parametrize("half", sorted(RULE_LINE_CEILINGS))
def test_the_rules_flag_few_lines_of_a_real_script_an_officer_cleared(half, rules_pack):
    cleared, found = _cleared_lines(half, rules_pack)
    flagged = [i.id for i in cleared if found[i.id]]
    print(f"{half}: {len(flagged)} cleared lines flagged by the rules")
    assert len(cleared) >= 35 and len(flagged) <= RULE_LINE_CEILINGS[half]


@pytest.mark.parametrize("half", sorted(SCRIPT_LINE_CEILINGS))
def test_the_scorer_warns_on_few_lines_of_a_real_script_an_officer_cleared(half, cn_pack, rules_pack):
    cleared, found = _cleared_lines(half, cn_pack)
    warned = [i.id for i in cleared if found[i.id]]
    print(f"{half}: {len(warned)} cleared lines with a finding")
    assert len(warned) <= SCRIPT_LINE_CEILINGS[half]
    # what the rules alone do not flag, only the scorer's warning can
    _, by_rules = _cleared_lines(half, rules_pack)
    assert all(f.rule == SCORER_RULE for i in cleared if not by_rules[i.id] for f in found[i.id])


def test_a_run_of_lines_is_linted_as_one_script_and_each_finding_told_to_its_line(cn_pack):
    from tests.lint.real_corpus import Item

    def line(id_: str, n: int, text: str, run: str = "r1", label: str = "clean") -> Item:
        return Item(id_, text, "https://example.com/s", "mainland", "simplified", "wealth", label, (), "", "", run, n)

    # given out of order: joined in their run's order; a finding belongs to the line it starts on
    items = [line("x3", 3, "这款理财保本保息，零风险。", label="flag"), line("x1", 1, "您好，我是华兴银行的客户经理。"),
             line("x2", 2, "请问您现在方便接听电话吗？"), line("y1", 0, "这款理财保本保息。", run="", label="flag")]
    found = as_scripts(items, cn_pack)
    assert found["x1"] == [] and found["x2"] == []
    assert [f.rule for f in found["x3"]] == ["guarantee.principal_and_interest", "guarantee.zero_risk"]
    # offsets and lines are the joined script's: the third line starts after the first two and their line breaks
    third = len("您好，我是华兴银行的客户经理。") + 1 + len("请问您现在方便接听电话吗？") + 1
    assert [(f.start, f.line) for f in found["x3"]] == [(third + 4, 3), (third + 9, 3)]
    # a passage of no run is linted alone: its offsets are its own
    assert [(f.rule, f.start, f.line) for f in found["y1"]] == [("guarantee.principal_and_interest", 4, 1)]


def test_sets_whose_ids_repeat_are_refused_when_their_runs_would_be_joined(cn_pack, capsys):
    """Corpus A's ids (r0001 …) are corpus R's too. Linted as scripts, two passages of one id would be joined into one
    script and each given the other's findings: refused with the ids named, and by the command line with exit 2.
    Each passage alone is scored as before."""
    from tests.lint.real_corpus import Item, main

    def passage(id_: str, text: str) -> Item:
        return Item(id_, text, "https://example.com/s", "mainland", "simplified", "wealth", "clean", (), "", "")

    twins = [passage("r0001", "这款理财保本保息。"), passage("r0001", "您好，请问您现在方便接听电话吗？")]
    with pytest.raises(ValueError, match="r0001"):
        as_scripts(twins, cn_pack)
    assert score(twins, cn_pack)[0].fp == 1  # alone, each its own: the claim found, the greeting not
    if available("dev+dev_r"):
        assert main(["dev+dev_r", "--scripts"]) == 2
        assert "ids repeat" in capsys.readouterr().out


def test_the_figures_are_split_by_the_officers_certainty(capsys):
    """`python -m tests.lint.real_corpus SET` prints the findings split into the labels the officer marked doubtful and
    the rest; the two rows count every passage of the set once, as the total row does."""
    from tests.lint.real_corpus import main

    assert main(["dev_j"]) == 0
    out = capsys.readouterr().out.splitlines()

    def counts(row: str) -> list[int]:
        return [int(row.split(f"{k} ")[1].split()[0].rstrip(")")) for k in ("tp", "fp", "fn")]

    total = next(r for r in out if r.strip().startswith("precision"))
    clear = next(r for r in out if r.strip().startswith("clear "))
    doubtful = next(r for r in out if r.strip().startswith("doubtful "))
    assert [a + b for a, b in zip(counts(clear), counts(doubtful))] == counts(total)
    items = load("dev_j")
    tn = lambda row: int(row.split("tn ")[1].split(")")[0])  # noqa: E731
    assert tn(clear) + tn(doubtful) + sum(counts(total)) == len(items)
    assert 0 < sum(i.certainty == "doubtful" for i in items) < len(items)


# The held-out sets pooled, split by the officer's certainty (README item 47; measured 2026-12-05 with the pack as
# shipped then): single passages, each alone, on the clear labels P 0.561 R 0.747, 103/877 quotes flagged (doubtful:
# P 0.674 R 0.584); lines of runs, each run linted whole, on the clear labels P 0.347 R 0.661 (doubtful 0.661 / 0.456).
# After corpus T's round (plan-t.md, README item 48): passages P 0.562 R 0.747, 102/877 quotes; run lines P 0.351 R 0.661.
HELD_OUT_SETS = ("heldout", *(f"heldout_{c}" for c in "bcdefghijklmnopqrs"))
# After its second round (41f91ee): passages P 0.561 R 0.747, 103/877 quotes; run lines P 0.350 R 0.661. heldout_e's
# precision 0.750 -> 0.741 with it, quotes flagged 5 -> 6 (one quote more flagged; not read).
# A belief answered (README item 49: 很多人误以为…，其实… is the speaker's claim): heldout_d P 0.685 -> 0.678, quotes 9 -> 10
# (one quote more flagged; not read).
CLEAR_FLOORS = {"passages": (0.56, 0.74, 103), "run lines": (0.35, 0.66, 2)}


@pytest.mark.parametrize("kind", sorted(CLEAR_FLOORS))
@pytest.mark.parametrize("sets", ["heldout+" + "+".join(HELD_OUT_SETS[1:])])
def test_on_the_labels_an_officer_is_sure_of_the_linter_holds_its_measured_figures(sets, kind, cn_pack):
    """The labels a second officer agrees with (README item 47: P 0.968 R 0.968 on the development sample, P 0.955
    R 0.913 on the held-out one) are where the targets can be met; the linter's figures there are held to their floor."""
    if not available(sets):
        pytest.skip("a held-out set is missing")
    items = [i for i in load(sets) if bool(i.run) == (kind == "run lines")]
    _, by, _ = score(items, cn_pack, by="certainty", scripts=kind == "run lines")
    clear = by["clear"]
    precision, recall, quotes = CLEAR_FLOORS[kind]
    print(f"{kind}: clear labels P {clear.precision:.3f} R {clear.recall:.3f} quotes {clear.quoted_flagged}/{clear.quotes}")
    assert clear.precision >= precision and clear.recall >= recall and clear.quoted_flagged <= quotes
