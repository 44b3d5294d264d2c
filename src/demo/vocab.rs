//! Vocabulary for the demo dataset: real ICT4D terms, per category, in English with some French,
//! Spanish, Arabic, Russian and Chinese. Nothing here is lorem ipsum.

/// Title subjects per category code.
pub const SUBJECTS: &[(&str, &[&str])] = &[
    (
        "C1",
        &[
            "National Digital Transformation Strategy",
            "E-Strategy Implementation Roadmap",
            "ICT in Parliament Initiative",
            "Multi-stakeholder Digital Policy Forum",
            "National Broadband Plan Consultation",
            "E-Participation Platform for Citizens",
            "Public-Private Partnership for ICT Development",
            "ICT for Sustainable Development Framework",
            "Digital Government Readiness Assessment",
            "Open Government Data Policy",
        ],
    ),
    (
        "C2",
        &[
            "Rural Broadband Expansion",
            "National Fibre Optic Backbone",
            "Community Wi-Fi Hotspots",
            "Submarine Cable Landing Station",
            "Universal Service Fund Connectivity Programme",
            "National Internet Exchange Point",
            "4G Coverage for Underserved Areas",
            "Satellite Connectivity for Remote Schools",
            "Community Network Deployment",
            "Last-Mile Connectivity Project",
            "Spectrum Management Modernisation",
            "Data Centre Infrastructure Upgrade",
        ],
    ),
    (
        "C3",
        &[
            "Digital Public Library Network",
            "Open Educational Resources Portal",
            "Community Telecentres",
            "Public Access Internet Points",
            "Multilingual Digital Archive",
            "Open Access Research Repository",
            "Accessible ICT for Persons with Disabilities",
            "Digital Literacy in Public Libraries",
            "National Open Data Portal",
            "Free Public Information Kiosks",
        ],
    ),
    (
        "C4",
        &[
            "Digital Skills for Youth",
            "ICT Capacity Building for Civil Servants",
            "Women in ICT Training Programme",
            "Coding Bootcamps for Girls",
            "Digital Literacy for Older Persons",
            "Train-the-Trainer Programme on Digital Skills",
            "ICT Centres of Excellence",
            "Teacher Training in ICT",
            "Cybersecurity Skills Academy",
            "Digital Entrepreneurship Training",
        ],
    ),
    (
        "C5",
        &[
            "National Computer Incident Response Team",
            "Child Online Protection Initiative",
            "Cybersecurity Awareness Campaign",
            "National Cybersecurity Strategy",
            "Anti-Spam and Anti-Phishing Programme",
            "Critical Information Infrastructure Protection",
            "Cyber Drill for Incident Responders",
            "Digital Identity and Trust Services",
            "Cybercrime Legislation Capacity Building",
            "Public Key Infrastructure Deployment",
        ],
    ),
    (
        "C6",
        &[
            "ICT Regulatory Reform",
            "Telecommunications Licensing Framework",
            "Data Protection Law Implementation",
            "Consumer Protection in Digital Services",
            "Digital Trade Facilitation",
            "Electronic Transactions Act",
            "Spectrum Policy Review",
            "Regulatory Sandbox for Digital Innovation",
            "Infrastructure Sharing Guidelines",
            "Quality of Service Monitoring",
        ],
    ),
    (
        "C7",
        &[
            "ICT Applications for Development",
            "Digital Services for Rural Communities",
            "Mobile Applications for Public Services",
            "Smart Village Programme",
            "Digital Innovation Hub",
        ],
    ),
    (
        "C7_E_GOVERNMENT",
        &[
            "E-Government Services Portal",
            "One-Stop Shop for Public Services",
            "Digital Civil Registry",
            "Electronic Procurement System",
            "Online Tax Filing Platform",
            "National Digital Identity Programme",
            "Interoperability Framework for Public Administration",
            "Mobile Government Services",
            "E-Justice Case Management",
            "Digital Land Registry",
        ],
    ),
    (
        "C7_E_BUSINESS",
        &[
            "E-Commerce Platform for Small Businesses",
            "Mobile Money for Market Traders",
            "Digital Payments for Micro-Enterprises",
            "Online Marketplace for Artisans",
            "E-Trade Readiness Programme",
            "Postal E-Commerce Logistics",
            "Digital Financial Inclusion Initiative",
            "Start-up Incubator for Digital Entrepreneurs",
        ],
    ),
    (
        "C7_E_LEARNING",
        &[
            "E-Learning Platform for Secondary Schools",
            "Distance Education Network",
            "Virtual University Programme",
            "Digital Classrooms Project",
            "Online Vocational Training",
            "Educational Radio and Mobile Learning",
            "One Laptop per Child Deployment",
            "School Connectivity and Digital Content",
            "MOOCs for Teachers",
            "Tablet-Based Learning in Rural Schools",
        ],
    ),
    (
        "C7_E_HEALTH",
        &[
            "Telemedicine Network for Rural Clinics",
            "Electronic Health Records System",
            "Mobile Health for Maternal Care",
            "Disease Surveillance Information System",
            "Telehealth Services for Remote Areas",
            "Digital Vaccination Registry",
            "Health Information Exchange",
            "SMS Reminders for Patients",
            "Telepsychiatry Pilot",
            "Hospital Information Management System",
        ],
    ),
    (
        "C7_E_EMPLOYMENT",
        &[
            "Online Job Matching Platform",
            "Digital Jobs for Youth",
            "Teleworking Promotion Programme",
            "Labour Market Information System",
            "Online Freelancing Skills for Women",
            "E-Employment Services Portal",
            "Digital Work Opportunities for Refugees",
        ],
    ),
    (
        "C7_E_ENVIRONMENT",
        &[
            "Early Warning System for Disasters",
            "Climate Monitoring Sensor Network",
            "E-Waste Recycling Programme",
            "Smart Water Management",
            "Air Quality Monitoring Platform",
            "Green ICT Initiative",
            "Satellite Forest Monitoring",
            "Flood Forecasting with Mobile Alerts",
        ],
    ),
    (
        "C7_E_AGRICULTURE",
        &[
            "Mobile Advisory Services for Farmers",
            "Agricultural Market Price Information System",
            "Digital Farmer Registry",
            "Precision Agriculture Pilot",
            "Weather Information for Smallholders",
            "E-Extension Services",
            "Livestock Traceability System",
            "Digital Cooperative Management",
        ],
    ),
    (
        "C7_E_SCIENCE",
        &[
            "National Research and Education Network",
            "Open Science Platform",
            "Scientific Data Repository",
            "High-Performance Computing Centre",
            "Citizen Science Mobile Application",
            "Virtual Research Laboratory",
            "Research Collaboration Network",
        ],
    ),
    (
        "C8",
        &[
            "Digitisation of Cultural Heritage",
            "Local Content in Indigenous Languages",
            "Multilingual Internet Domain Names",
            "Community Radio Digital Archive",
            "Virtual Museum",
            "Oral Traditions Digital Collection",
            "Local Language Keyboard and Software Localisation",
        ],
    ),
    (
        "C9",
        &[
            "Community Media Network",
            "Digital Switchover for Broadcasting",
            "Media Literacy Programme",
            "Public Service Broadcasting Online",
            "Journalist Safety and Digital Security Training",
            "Fact-Checking Platform",
        ],
    ),
    (
        "C10",
        &[
            "Ethics of Artificial Intelligence Guidelines",
            "Responsible Data Use Charter",
            "Online Privacy Awareness",
            "Human Rights Online Programme",
            "Combating Online Hate Speech",
            "Digital Ethics Curriculum",
        ],
    ),
    (
        "C11",
        &[
            "Regional ICT Cooperation Programme",
            "South-South Digital Cooperation",
            "Cross-Border Connectivity Initiative",
            "Regional Digital Economy Partnership",
            "International Digital Development Alliance",
            "Regional Cybersecurity Cooperation Network",
        ],
    ),
];

/// Who benefits, for titles and descriptions.
pub const AUDIENCES: &[&str] = &[
    "rural communities",
    "women and girls",
    "young people",
    "persons with disabilities",
    "smallholder farmers",
    "small and medium-sized enterprises",
    "teachers and students",
    "older persons",
    "indigenous communities",
    "refugees and displaced persons",
    "health workers",
    "civil servants",
    "local governments",
    "schools",
];

/// Opening sentences of English descriptions; `{org}` and `{place}` are filled in.
pub const OPENINGS: &[&str] = &[
    "{org} launched this initiative to close the digital divide in {place}.",
    "Led by {org}, the activity brings affordable and meaningful connectivity to {place}.",
    "{org} designed the activity with national partners to support the WSIS goals in {place}.",
    "The initiative of {org} responds to priorities identified in the national development plan of {place}.",
    "Working with local partners, {org} set out to make digital services available to everyone in {place}.",
];

/// Middle sentences: what was done.
pub const ACTIONS: &[&str] = &[
    "It deploys {subject} for {audience}, building on existing public infrastructure.",
    "The team trained local staff, developed open-source tools and set up a help desk for {audience}.",
    "Activities include needs assessments, pilot deployments and the scaling up of {subject} for {audience}.",
    "A multi-stakeholder steering committee brings together government, private sector, civil society and academia.",
    "The project uses mobile technologies, since most {audience} access the Internet through a mobile phone.",
    "Content is produced in local languages and made accessible to persons with disabilities.",
    "Data collected through the platform is published as open data under a public licence.",
];

/// Closing sentences: results.
pub const RESULTS: &[&str] = &[
    "More than {n} people have benefited so far, and the approach is being replicated in neighbouring areas.",
    "An independent evaluation found measurable improvements in access and use among {audience}.",
    "The activity contributes to the Sustainable Development Goals and to the WSIS Action Lines it is tagged with.",
    "Lessons learned were shared at the WSIS Forum and in regional ITU meetings.",
    "The results informed a national policy and secured funding for a second phase.",
    "Some {n} users are active every month, a third of them women.",
];

/// Titles in other languages: (language tag, category, title).
pub const FOREIGN_TITLES: &[(&str, &str, &str)] = &[
    ("fr", "C7_E_HEALTH", "Réseau national de télémédecine"),
    (
        "fr",
        "C7_E_GOVERNMENT",
        "Plateforme nationale de services publics en ligne",
    ),
    (
        "fr",
        "C7_E_LEARNING",
        "Programme d'apprentissage numérique dans les écoles rurales",
    ),
    ("fr", "C2", "Extension du réseau haut débit en zones rurales"),
    ("fr", "C4", "Formation aux compétences numériques pour les jeunes"),
    ("fr", "C5", "Stratégie nationale de cybersécurité"),
    (
        "fr",
        "C7_E_AGRICULTURE",
        "Services d'information agricole par téléphone mobile",
    ),
    ("fr", "C8", "Numérisation du patrimoine culturel"),
    ("es", "C7_E_HEALTH", "Red de telemedicina para zonas rurales"),
    ("es", "C7_E_GOVERNMENT", "Ventanilla única de trámites en línea"),
    (
        "es",
        "C7_E_LEARNING",
        "Conectividad y contenidos digitales para escuelas públicas",
    ),
    ("es", "C2", "Plan nacional de banda ancha"),
    ("es", "C4", "Alfabetización digital para personas mayores"),
    ("es", "C7_E_BUSINESS", "Comercio electrónico para pequeñas empresas"),
    ("es", "C3", "Red de bibliotecas públicas digitales"),
    ("es", "C7_E_ENVIRONMENT", "Sistema de alerta temprana ante desastres"),
    ("ar", "C7_E_GOVERNMENT", "بوابة الخدمات الحكومية الإلكترونية"),
    ("ar", "C4", "برنامج المهارات الرقمية للشباب"),
    ("ar", "C7_E_HEALTH", "الشبكة الوطنية للتطبيب عن بعد"),
    ("ar", "C5", "المركز الوطني للاستجابة لطوارئ الحاسب الآلي"),
    ("ar", "C7_E_LEARNING", "منصة التعليم الإلكتروني للمدارس"),
    ("ru", "C7_E_GOVERNMENT", "Портал государственных услуг"),
    ("ru", "C2", "Широкополосный доступ в сельской местности"),
    ("ru", "C4", "Цифровая грамотность для старшего поколения"),
    ("ru", "C7_E_HEALTH", "Телемедицинская сеть для отдалённых районов"),
    (
        "ru",
        "C5",
        "Национальная система реагирования на компьютерные инциденты",
    ),
    ("zh", "C7_E_LEARNING", "农村学校远程教育项目"),
    ("zh", "C7_E_AGRICULTURE", "智慧农业信息服务平台"),
    ("zh", "C2", "宽带乡村工程"),
    ("zh", "C7_E_HEALTH", "远程医疗服务网络"),
    ("zh", "C7_E_GOVERNMENT", "一站式政务服务平台"),
];

/// Descriptions in other languages, by language tag.
pub const FOREIGN_DESCRIPTIONS: &[(&str, &str)] = &[
    (
        "fr",
        "Ce projet vise à réduire la fracture numérique en offrant des services accessibles à toute la population. Il a été mis en œuvre avec des partenaires publics et privés et a bénéficié à des milliers de personnes, en particulier les femmes et les jeunes.",
    ),
    (
        "fr",
        "L'initiative renforce les capacités des institutions nationales et promeut l'utilisation des TIC au service du développement durable. Les résultats ont été présentés au Forum du SMSI.",
    ),
    (
        "es",
        "El proyecto busca reducir la brecha digital y ampliar el acceso a servicios en línea para toda la población. Se ejecutó en alianza con el sector privado, la sociedad civil y la academia, y ha beneficiado a miles de personas.",
    ),
    (
        "es",
        "La iniciativa fortalece las capacidades institucionales y promueve el uso de las TIC para el desarrollo sostenible. Sus resultados se presentaron en el Foro de la CMSI.",
    ),
    (
        "ar",
        "يهدف هذا المشروع إلى سد الفجوة الرقمية وتوفير خدمات رقمية ميسورة لجميع المواطنين، بالشراكة مع القطاع الخاص والمجتمع المدني.",
    ),
    (
        "ar",
        "تعزز المبادرة القدرات الوطنية في مجال تكنولوجيا المعلومات والاتصالات وتسهم في تحقيق أهداف التنمية المستدامة.",
    ),
    (
        "ru",
        "Проект направлен на преодоление цифрового неравенства и обеспечение доступа к электронным услугам для всех граждан. Он реализуется совместно с частным сектором и гражданским обществом.",
    ),
    (
        "ru",
        "Инициатива укрепляет национальный потенциал в области ИКТ и способствует достижению Целей устойчивого развития.",
    ),
    (
        "zh",
        "该项目旨在缩小数字鸿沟，为全体民众提供可负担、可获取的数字服务，由政府、企业和社会组织共同实施。",
    ),
    ("zh", "该倡议加强了国家信息通信技术能力建设，助力实现可持续发展目标。"),
];

/// Countries (alpha-2) whose organisations sometimes write titles in French, Spanish, Arabic
/// (all of ARAB_STATES), Russian or Chinese.
pub const FRENCH: &[&str] = &[
    "FR", "BE", "LU", "MC", "SN", "CI", "ML", "BF", "NE", "TD", "CM", "GA", "CG", "CD", "BJ", "TG", "GN", "MG", "HT",
    "BI", "CF", "RW",
];
pub const SPANISH: &[&str] = &[
    "ES", "MX", "AR", "CO", "PE", "CL", "VE", "EC", "BO", "PY", "UY", "CR", "PA", "GT", "HN", "SV", "NI", "DO", "CU",
];
pub const RUSSIAN: &[&str] = &["RU", "BY", "KZ", "KG", "TJ"];
pub const CHINESE: &[&str] = &["CN", "HK", "MO", "TW"];

/// Real international organisations active in the WSIS process, with their headquarters.
pub const INTERNATIONAL: &[(&str, Option<&str>)] = &[
    ("International Telecommunication Union (ITU)", Some("CH")),
    (
        "United Nations Educational, Scientific and Cultural Organization (UNESCO)",
        Some("FR"),
    ),
    ("United Nations Development Programme (UNDP)", Some("US")),
    (
        "United Nations Conference on Trade and Development (UNCTAD)",
        Some("CH"),
    ),
    (
        "Food and Agriculture Organization of the United Nations (FAO)",
        Some("IT"),
    ),
    ("World Health Organization (WHO)", Some("CH")),
    ("International Labour Organization (ILO)", Some("CH")),
    ("United Nations Environment Programme (UNEP)", Some("KE")),
    ("World Meteorological Organization (WMO)", Some("CH")),
    ("Universal Postal Union (UPU)", Some("CH")),
    ("United Nations Children's Fund (UNICEF)", Some("US")),
    ("UN Women", Some("US")),
    (
        "United Nations Department of Economic and Social Affairs (UNDESA)",
        Some("US"),
    ),
    ("International Trade Centre (ITC)", Some("CH")),
    ("World Intellectual Property Organization (WIPO)", Some("CH")),
    ("United Nations Industrial Development Organization (UNIDO)", Some("AT")),
    ("United Nations Human Settlements Programme (UN-Habitat)", Some("KE")),
    (
        "United Nations Institute for Training and Research (UNITAR)",
        Some("CH"),
    ),
    ("Economic Commission for Africa (ECA)", Some("ET")),
    (
        "Economic and Social Commission for Asia and the Pacific (ESCAP)",
        Some("TH"),
    ),
    ("Economic and Social Commission for Western Asia (ESCWA)", Some("LB")),
    (
        "Economic Commission for Latin America and the Caribbean (ECLAC)",
        Some("CL"),
    ),
    ("Economic Commission for Europe (UNECE)", Some("CH")),
    ("International Fund for Agricultural Development (IFAD)", Some("IT")),
    ("World Food Programme (WFP)", Some("IT")),
    (
        "Office of the United Nations High Commissioner for Refugees (UNHCR)",
        Some("CH"),
    ),
    ("African Telecommunications Union", Some("KE")),
    ("Asia-Pacific Telecommunity", Some("TH")),
    ("Caribbean Telecommunications Union", Some("TT")),
    ("Arab ICT Organization", Some("TN")),
    ("Regional Commonwealth in the Field of Communications", Some("RU")),
    ("Internet Society", Some("US")),
    ("Association for Progressive Communications", Some("ZA")),
    ("GSMA", Some("GB")),
    ("Global Digital Inclusion Partnership", None),
];

/// UN system agencies among [`INTERNATIONAL`] (index bound), whose entries feed the UNGIS
/// repository.
pub const UN_AGENCIES: usize = 26;

pub const MINISTRIES: &[&str] = &[
    "Information and Communications Technology",
    "Digital Economy",
    "Education",
    "Health",
    "Agriculture",
    "Posts and Telecommunications",
    "Communications",
    "Public Administration",
    "Science and Technology",
    "Youth and Sports",
    "Women's Affairs",
    "Environment",
    "Labour and Employment",
    "Finance",
];

pub const AGENCIES: &[&str] = &[
    "National ICT Agency",
    "Telecommunications Regulatory Authority",
    "E-Government Agency",
    "National Statistics Office",
    "Digital Transformation Office",
    "National Cybersecurity Agency",
    "National Computer Emergency Response Team",
    "Universal Service Fund",
    "National Library",
    "Information Technology Authority",
    "Digital Development Agency",
    "Office of the Prime Minister",
];

pub const COMPANY_STEMS: &[&str] = &[
    "Afri",
    "Nordic",
    "Andes",
    "Sahel",
    "Pacific",
    "Digital",
    "Smart",
    "Orbit",
    "Blue",
    "Bright",
    "Horizon",
    "Kijiji",
    "Sigma",
    "Nova",
    "Vertex",
    "Lumen",
    "Terra",
    "Atlas",
    "Delta",
    "Baobab",
    "Cedar",
    "Steppe",
    "Monsoon",
    "Coral",
    "Savanna",
    "Altiplano",
    "Fjord",
    "Oasis",
    "Zenith",
    "Equator",
];

pub const COMPANY_KINDS: &[&str] = &[
    "Telecom",
    "Networks",
    "Digital Solutions",
    "Technologies",
    "Mobile",
    "Systems",
    "Labs",
    "Connect",
    "Fintech",
    "Data",
    "Software",
    "Cloud Services",
];

pub const CIVIL_TOPICS: &[&str] = &[
    "Digital Inclusion",
    "Women in Technology",
    "Open Knowledge",
    "Community Networks",
    "Digital Rights",
    "ICT for Development",
    "Youth Innovation",
    "Rural Connectivity",
    "Accessible Technology",
    "Media Development",
];

pub const CIVIL_KINDS: &[&str] = &[
    "Foundation",
    "Association",
    "Network",
    "Initiative",
    "Alliance",
    "Centre",
    "Society",
];

pub const ACADEMIC: &[&str] = &[
    "National University of {c}",
    "{c} Institute of Technology",
    "{c} Polytechnic",
    "University of {c}",
    "Centre for ICT Research, University of {c}",
    "{c} Open University",
    "{c} Academy of Sciences",
];

pub const OTHER_ORGS: &[&str] = &[
    "{c} Chamber of Commerce",
    "{c} Post",
    "{c} Broadcasting Corporation",
    "{c} Library Association",
    "{c} Internet Governance Forum",
    "{c} Red Cross Society",
];

pub const FIRST_NAMES: &[&str] = &[
    "Amina", "Kwame", "Fatima", "Jean", "Maria", "Ahmed", "Olga", "Wei", "Priya", "Carlos", "Aisha", "Juan", "Nadia",
    "Ivan", "Mei", "Samuel", "Leila", "Pedro", "Grace", "Omar", "Elena", "Tariq", "Sofia", "Kofi",
];

pub const LAST_NAMES: &[&str] = &[
    "Diallo", "Mensah", "Haddad", "Dupont", "Garcia", "Hassan", "Ivanova", "Zhang", "Sharma", "Silva", "Okafor",
    "Rossi", "Nguyen", "Petrov", "Kim", "Mwangi", "Khan", "Lopez", "Moreau", "Tanaka", "Abdi", "Novak",
];
