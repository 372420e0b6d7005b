"""Word lists the generated records are built from (Kazakh legislation, in English and Russian)."""

TOPICS = (  # noqa: SIM905 (word lists read better as text)
    "information security|counter-terrorism|extremism|religious activity|ngo registration|"
    "mass media|internet regulation|personal data|surveillance|criminal procedure|"
    "public assembly|elections|civil service|national security|migration|telecommunications|"
    "cyber security|state secrets|border control|firearms|banking supervision|"
    "energy policy|agriculture|public health|education|land code|taxation|"
    "anti-corruption|local government|defence"
).split("|")
TOPICS_RU = (  # noqa: SIM905 (word lists read better as text)
    "информационной безопасности|противодействия терроризму|экстремизма|религиозной "
    "деятельности|национальной безопасности|средств массовой информации|персональных данных"
).split("|")
GIVEN = (  # noqa: SIM905 (word lists read better as text)
    "Nurlan Aigerim Yerlan Dana Serik Gulnara Askar Madina Bolat Saule Marat Aliya Daniyar "
    "Zhanar Timur Ainur Kairat Asel Ruslan Dinara Arman Gaukhar Yerzhan Olga Sergei Irina"
).split()
FAMILY = (  # noqa: SIM905 (word lists read better as text)
    "Nurgali Abenov Sadykova Tokayev Zhakupov Iskakova Omarov Bekova Mukhamediuly Kassymov "
    "Akhmetova Baimukhamet Dosmagambetov Ivanova Petrov Suleimenov Kenzhebek Utegenova "
    "Shaikenov Zhumabayeva Ospanov Nazarbek Tulegenova Kuanyshev Sarsenbayev Yessimova"
).split()
ORG_KINDS = [
    ("ministry", "Ministry of {}"),
    ("agency", "Agency for {}"),
    ("committee", "Mazhilis Committee on {}"),
    ("ngo", "Foundation for {}"),
    ("media", "{} Review"),
    ("international", "International Centre for {}"),
    ("party", "Party of {}"),
    ("local_government", "Akimat Commission on {}"),
]
VERBS = (  # noqa: SIM905 (word lists read better as text)
    "supports|opposes|questions|welcomes|criticises|warns about|calls for changes to|defends"
).split("|")
CLAIMS = [
    "the bill strengthens {t} and protects citizens",
    "the draft gives the special services too much power over {t}",
    "NGOs were not consulted on the provisions on {t}",
    "the new rules on {t} meet international standards",
    "registration requirements for {t} will burden small organizations",
    "the amendments on {t} close gaps exploited by extremist groups",
    "the norms on {t} restrict freedom of expression online",
    "public hearings on {t} should be held before the second reading",
]
PUBLISHERS = [
    ("Kazinform", "inform.kz"),
    ("Tengrinews", "tengrinews.kz"),
    ("Vlast.kz", "vlast.kz"),
    ("Adilet", "adilet.zan.kz"),
    ("Parliament of Kazakhstan", "parlam.kz"),
    ("Kursiv", "kursiv.media"),
    ("Human Rights Bureau", "bureau.kz"),
    ("OSCE", "osce.org"),
]
