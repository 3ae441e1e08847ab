//! Writes a deterministic test site in weikan's format: I issues of A
//! articles each, with Chinese self-help text composed from a fixed pool of
//! sentences (written for this project), audiences, headings, lists and
//! links between articles. The same arguments always give the same files.
//!
//! Usage: cargo run --release --example corpus -- OUT_DIR ISSUES ARTICLES [SEED]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const SENTENCES: &[&str] = &[
    "每天在同一时间起床，身体会慢慢记住这个节奏。",
    "睡前一小时把手机放远一点，给大脑一点安静的时间。",
    "心里烦的时候，先停下来，慢慢呼吸几次。",
    "担心是很常见的反应，说明你在乎身边的人和事。",
    "给自己定一个十五分钟的“担心时间”，其他时候先把念头记在本子上。",
    "和家人、朋友打个电话，聊聊家常，心里会松一些。",
    "白天出去走一走，晒晒太阳，晚上更容易睡着。",
    "把一天要做的事写下来，一件一件地做，不必一次做完。",
    "累了就休息，这不是偷懒，而是为了走得更远。",
    "吵架以后，先各自冷静一会儿，再找时间好好说。",
    "孩子在家学习，一张简单的作息表比反复催促更有用。",
    "回到岗位的头几天，慢慢来，允许自己有一个适应的过程。",
    "手头紧的时候，先列出必须的开支，再看看可以向哪里求助。",
    "一线工作很辛苦，轮休的日子请真正地休息。",
    "照顾年迈的父母，也别忘了照顾好自己。",
    "如果情绪低落或失眠持续两周以上，请找专业人员聊一聊。",
    "如果有伤害自己的念头，请马上告诉身边的人，并拨打求助热线。",
    "少看让人心慌的消息，只看靠得住的通知就够了。",
    "做一件让自己开心的小事：浇花、听歌、做一道拿手菜。",
    "同事之间有摩擦很正常，把事情和人分开来看。",
    "遇到困难时开口求助，是勇敢的表现。",
    "身体不舒服的时候，先去医院看一看，也可以问问社区医生。",
    "晚上睡不着，就起来坐一会儿，等困了再回床上。",
    "每天记下一件值得感谢的事，日子会慢慢亮起来。",
];

const HEADINGS: &[&str] = &[
    "可以试试这些",
    "几点提醒",
    "为什么会这样",
    "给家人的话",
    "什么时候找专业帮助",
    "今天就能做的一件事",
];
const TOPICS: &[&str] = &[
    "sleep", "worry", "family", "work", "study", "rest", "help", "news", "friends", "money",
];
const AUDIENCES: &[(&str, &str)] = &[
    ("elders", "老年人"),
    ("workers", "复工职工"),
    ("students", "中小学生"),
    ("frontline", "一线工作人员"),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: corpus OUT_DIR ISSUES ARTICLES_PER_ISSUE [SEED]");
        std::process::exit(2);
    }
    let out = Path::new(&args[0]);
    let issues: usize = args[1].parse().expect("ISSUES is a number");
    let per_issue: usize = args[2].parse().expect("ARTICLES is a number");
    let seed: u64 = args
        .get(3)
        .map_or(20_260_101, |s| s.parse().expect("SEED is a number"));
    let mut rng = fastrand::Rng::with_seed(seed);
    if out.exists() {
        fs::remove_dir_all(out).expect("remove the old corpus");
    }
    write(out, "site.toml", &site_toml());
    write(
        out,
        "content/about.md",
        "+++\ntitle = \"关于本刊\"\nslug = \"about\"\nweight = 2\n+++\n\n这是 weikan 的测试站点，内容由程序生成。\n",
    );
    write(
        out,
        "content/hotlines.md",
        "+++\ntitle = \"求助热线\"\nslug = \"hotlines\"\nweight = 1\n+++\n\n全国心理援助热线：12356。\n",
    );
    for i in 1..=issues {
        // Dates: one issue a week from 2006 on, so every issue has its own day.
        let day = jiff_free_date(i);
        let dir = format!("issues/{i:05}");
        write(
            out,
            &format!("{dir}/issue.md"),
            &format!(
                "+++\nnumber = {i}\ntitle = \"第{i}期：{}\"\ndate = {day}\n+++\n\n{}\n",
                pick(&mut rng, HEADINGS),
                paragraph(&mut rng, 3)
            ),
        );
        for a in 1..=per_issue {
            let topic = pick(&mut rng, TOPICS);
            let mut audiences: Vec<&str> = AUDIENCES
                .iter()
                .filter(|_| rng.u8(..) < 80)
                .map(|(k, _)| *k)
                .collect();
            if audiences.is_empty() && rng.bool() {
                audiences.push(AUDIENCES[rng.usize(..AUDIENCES.len())].0);
            }
            let keys: Vec<String> = audiences.iter().map(|k| format!("\"{k}\"")).collect();
            let mut body = String::new();
            body.push_str(&paragraph(&mut rng, 4));
            for _ in 0..rng.usize(2..4) {
                let _ = write!(
                    body,
                    "\n\n## {}\n\n{}",
                    pick(&mut rng, HEADINGS),
                    paragraph(&mut rng, 3)
                );
                if rng.bool() {
                    for _ in 0..3 {
                        let _ = write!(body, "\n- {}", pick(&mut rng, SENTENCES));
                    }
                }
            }
            if i > 1 && rng.u8(..) < 100 {
                // A link to an article of an earlier issue, as editors write them.
                let j = rng.usize(1..i);
                let _ = write!(
                    body,
                    "\n\n也可以看看[第{j}期的第一篇](../{j:05}/01-{}-1.md)。",
                    topic_of(seed, j)
                );
            }
            body.push_str("\n\n如果情绪低落或失眠持续两周以上，或者有伤害自己的念头，请拨打[求助热线](/content/hotlines.md)。\n");
            let file_topic = if a == 1 {
                topic_of(seed, i)
            } else {
                topic.to_owned()
            };
            let text = format!(
                "+++\ntitle = \"{}\"\naudiences = [{}]\n+++\n\n{body}",
                pick(&mut rng, SENTENCES).trim_end_matches('。'),
                keys.join(", ")
            );
            write(out, &format!("{dir}/{a:02}-{file_topic}-{a}.md"), &text);
        }
    }
    println!(
        "wrote {issues} issues x {per_issue} articles to {}",
        out.display()
    );
}

/// The topic of an issue's first article, known without generating it, so
/// links to it can be written from later issues.
fn topic_of(seed: u64, issue: usize) -> String {
    let mut rng =
        fastrand::Rng::with_seed(seed ^ (issue as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    TOPICS[rng.usize(..TOPICS.len())].to_owned()
}

fn jiff_free_date(i: usize) -> String {
    // 7 days per issue from 2006-01-02, computed on the proleptic calendar.
    let mut days = 7 * (i as i64 - 1);
    let (mut y, mut m, mut d) = (2006i64, 1i64, 2i64);
    let month_len = |y: i64, m: i64| match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    while days > 0 {
        let step = days.min(month_len(y, m) - d + 1);
        d += step;
        days -= step;
        if d > month_len(y, m) {
            d = 1;
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    format!("{y:04}-{m:02}-{d:02}")
}

fn paragraph(rng: &mut fastrand::Rng, sentences: usize) -> String {
    (0..sentences + rng.usize(..3))
        .map(|_| pick(rng, SENTENCES))
        .collect()
}

fn pick<'a>(rng: &mut fastrand::Rng, pool: &[&'a str]) -> &'a str {
    pool[rng.usize(..pool.len())]
}

fn site_toml() -> String {
    let mut text = String::from(
        "title = \"测试微刊\"\ndescription = \"生成的测试站点\"\nbase_url = \"https://example.org/weikan/\"\n",
    );
    for (key, name) in AUDIENCES {
        let _ = write!(
            text,
            "\n[[audiences]]\nkey = \"{key}\"\nname = \"{name}\"\n"
        );
    }
    text.push_str("\n[[hotlines]]\nname = \"心理援助热线\"\nnumber = \"12356\"\nhours = \"各地服务时间不同\"\n");
    text
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent folder")).expect("create the folder");
    fs::write(&path, text).expect("write the file");
}
