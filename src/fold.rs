//! The one analysis of text for search, in the six UN languages: what is indexed and what is
//! searched for go through the same folding, in Rust, so SQLite's FTS5 and PostgreSQL's
//! `tsvector` hold the same tokens and a search finds the same entries on both.
//!
//! - Case and accents fold away (`ÉCOLE`, `école` → `ecole`; `Россия` → `россия`; `ё` → `е`),
//!   as do compatibility forms (full-width letters, ligatures).
//! - Arabic: diacritics (harakat, shadda) and tatweel go; hamza-carrying alefs become `ا`, `ى`
//!   becomes `ي` and `ة` becomes `ه`; the article `ال` (also after و ب ك ف, and `لل`) is
//!   removed, so `الصحة` and `صحة` are one word.
//! - Chinese and Japanese scripts have no spaces between words: a run of them becomes its
//!   overlapping pairs of characters (`远程医疗` → `远程 程医 医疗`), and a search for any run
//!   of two or more characters is the phrase of its pairs.
//! - Latin-script plurals: a final `s` goes (`schools` → `school`, `écoles` → `ecole`), `ies`
//!   becomes `y`; not after `ss`, `us` or `is`, and not in words of three letters.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longer words are cut (PostgreSQL does not index words of over 2,047 bytes).
const MAX_WORD: usize = 64;

/// One searched-for term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A folded word.
    Word(String),
    /// Consecutive pairs of ideographs, to be found next to each other.
    Phrase(Vec<String>),
}

/// The index's tokens for a text, separated by spaces.
pub fn document(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in words(text) {
        match word {
            Word::Plain(w) => push(&mut out, &w),
            Word::Ideographs(chars) => {
                for pair in pairs(&chars) {
                    push(&mut out, &pair);
                }
            }
        }
    }
    out
}

/// The terms of a search, in order; at most `max` of them.
pub fn terms(text: &str, max: usize) -> Vec<Term> {
    words(text)
        .map(|w| match w {
            Word::Plain(w) => Term::Word(w),
            Word::Ideographs(chars) => {
                let pairs = pairs(&chars);
                if pairs.len() == 1 {
                    Term::Word(pairs.into_iter().next().unwrap_or_default())
                } else {
                    Term::Phrase(pairs)
                }
            }
        })
        .take(max)
        .collect()
}

fn push(out: &mut String, token: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(token);
}

enum Word {
    Plain(String),
    Ideographs(Vec<char>),
}

/// Scripts written without spaces between words.
fn ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x20000..=0x2FFFF) // CJK Extensions B–F and supplements
}

/// Folds one character: `None` drops it.
fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'ـ' => return None, // tatweel
        'ى' => 'ي',         // alef maksura
        'ة' => 'ه',         // teh marbuta
        'ٱ' => 'ا',         // alef wasla
        'ک' => 'ك',         // keheh
        'ی' => 'ي',         // Farsi yeh
        '٠'..='٩' => char::from_u32(c as u32 - 0x0660 + '0' as u32)?,
        '۰'..='۹' => char::from_u32(c as u32 - 0x06F0 + '0' as u32)?,
        c => c,
    })
}

/// The folded words of a text: letters and digits in any script, anything else a separator.
/// Combining marks stay in a word until its article is found (an Arabic article is a plain
/// alef, `إلكتروني`'s hamza-carrying alef is not one).
fn words(text: &str) -> impl Iterator<Item = Word> {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfkd() {
        for l in c.to_lowercase() {
            match l {
                'ß' => folded.push_str("ss"),
                l => folded.extend(fold_char(l)),
            }
        }
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut ideographs = Vec::new();
    let flush = |current: &mut String, ideographs: &mut Vec<char>, out: &mut Vec<Word>| {
        if !current.is_empty() {
            let word = finish(&std::mem::take(current));
            if !word.is_empty() {
                out.push(Word::Plain(word));
            }
        }
        if !ideographs.is_empty() {
            out.push(Word::Ideographs(std::mem::take(ideographs)));
        }
    };
    for c in folded.chars() {
        if ideograph(c) {
            if !current.is_empty() {
                flush(&mut current, &mut ideographs, &mut out);
            }
            ideographs.push(c);
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            if !ideographs.is_empty() {
                flush(&mut current, &mut ideographs, &mut out);
            }
            current.push(c);
        } else {
            flush(&mut current, &mut ideographs, &mut out);
        }
    }
    flush(&mut current, &mut ideographs, &mut out);
    out.into_iter()
}

/// Overlapping pairs of a run of ideographs; a lone one stands for itself.
fn pairs(chars: &[char]) -> Vec<String> {
    if chars.len() < 2 {
        return vec![chars.iter().collect()];
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// Arabic articles, longest first (at least two letters must remain after one).
const ARTICLES: [&str; 6] = ["وال", "بال", "كال", "فال", "ال", "لل"];

/// Arabic vowel marks (harakat, shadda, sukun, superscript alef): not the hamza and madda
/// marks, which tell `إل` from the article.
fn haraka(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}' | '\u{0656}'..='\u{065F}' | '\u{0670}')
}

/// A word, marks and all, as the index holds it: Arabic without its article, without marks,
/// and a Latin-script word without its plural; at most [`MAX_WORD`] characters.
fn finish(word: &str) -> String {
    if word
        .chars()
        .next()
        .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
    {
        let bare: String = word.chars().filter(|c| !haraka(*c)).collect();
        let rest = ARTICLES
            .iter()
            .find_map(|a| {
                bare.strip_prefix(a)
                    .filter(|r| r.chars().filter(|c| !is_combining_mark(*c)).count() >= 2)
            })
            .unwrap_or(&bare);
        return rest.chars().filter(|c| !is_combining_mark(*c)).take(MAX_WORD).collect();
    }
    let word: String = word.chars().filter(|c| !is_combining_mark(*c)).take(MAX_WORD).collect();
    let len = word.chars().count();
    if len > 3 && word.bytes().all(|b| b.is_ascii_lowercase()) {
        if len > 4
            && let Some(stem) = word.strip_suffix("ies")
        {
            return format!("{stem}y");
        }
        if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is") {
            return word[..word.len() - 1].to_owned();
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_accents_and_plurals_fold() {
        assert_eq!(
            document("Télémédecine ÉCOLE écoles Santé"),
            "telemedecine ecole ecole sante"
        );
        assert_eq!(
            document("Schools policies class bus analysis gas"),
            "school policy class bus analysis gas"
        );
        assert_eq!(document("Россия РОССИЯ ёлка"), "россия россия елка");
        assert_eq!(document("ＷＳＩＳ ﬁbre Straße"), "wsis fibre strasse");
    }

    #[test]
    fn arabic_folds_diacritics_letters_and_the_article() {
        assert_eq!(document("الصِّحَّة"), "صحه");
        assert_eq!(document("صحة"), "صحه");
        assert_eq!(document("للتعليم والتعليم بالتعليم التعليم"), "تعليم تعليم تعليم تعليم");
        assert_eq!(document("أمن إدارة آمنة"), "امن اداره امنه");
        // The hamza-carrying alef of إلكتروني is not the article.
        assert_eq!(document("إلكترونية الإلكترونية"), "الكترونيه الكترونيه");
        assert_eq!(document("مستشفى ٢٠٢٠"), "مستشفي 2020");
        // Two letters after ال stay a word of their own.
        assert_eq!(document("الى"), "الي");
    }

    #[test]
    fn ideographs_become_pairs_and_searches_phrases() {
        assert_eq!(document("远程医疗服务网络"), "远程 程医 医疗 疗服 服务 务网 网络");
        assert_eq!(document("5G网络"), "5g 网络");
        assert_eq!(
            terms("医疗服 网", 16),
            [
                Term::Phrase(vec!["医疗".into(), "疗服".into()]),
                Term::Word("网".into())
            ]
        );
        assert_eq!(terms("医疗", 16), [Term::Word("医疗".into())]);
    }

    #[test]
    fn anything_else_only_separates_words() {
        assert_eq!(
            terms(r#""OR" NEAR(x) -- ' ; DROP 🚀"#, 16),
            ["or", "near", "x", "drop"].map(|w| Term::Word(w.into()))
        );
        assert!(terms(" 🚀 !!! ", 16).is_empty());
        assert_eq!(terms("a b c d", 2).len(), 2);
    }
}
