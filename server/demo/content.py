"""Demo content for Ruam: five rounds, one per pilot area in DESIGN.md.

Pure data: no imports from the rest of the project. Area codes are real subdistrict
(tambon) codes from shared/data/thai-admin/subdistricts.csv; sector and hazard codes come
from shared/data/taxonomy. People, places and figures are illustrative, not real records.

`DemoClause.support` is the probability that a member of a group votes "agree"; groups not
listed default to 0.5. Values are chosen so consolidation finds consensus, contested and
middling clauses in every round. `DemoClause.voters` caps how many of a group's members vote
on it (the others were not reached). In the Phang Nga round the Moken were reached on two
clauses only: on the others fewer Moken than their quorum voted, so the demo shows whose voice
is still missing there while some clauses are settled.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DemoGroup:
    key: str
    name_th: str
    name_en: str
    quorum: int  # minimum distinct voters for the group's support to count
    size: int  # how many demo participants to create in this group


@dataclass(frozen=True)
class DemoNeed:
    key: str
    group: str
    area_code: str  # 6-digit subdistrict code
    sector: str
    hazards: tuple[str, ...]
    severity: int  # 1..5
    people_affected: int
    title_th: str
    title_en: str
    body_th: str
    body_en: str


@dataclass(frozen=True)
class DemoClause:
    key: str
    text_th: str
    text_en: str
    answers: tuple[str, ...]
    support: dict[str, float]
    voters: dict[str, int] = field(default_factory=dict)  # group -> at most this many of its members vote


@dataclass(frozen=True)
class DemoDraft:
    key: str  # "ministry" or "cso"
    organisation: str  # key into ORGANISATIONS
    title_th: str
    title_en: str
    clauses: tuple[DemoClause, ...]


@dataclass(frozen=True)
class DemoComment:
    clause: str  # "<draft key>/<clause key>"
    group: str
    stance: str  # support | oppose | question | amend
    body_th: str
    body_en: str


@dataclass(frozen=True)
class DemoRound:
    slug: str
    province_code: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    threshold: float
    groups: tuple[DemoGroup, ...]
    needs: tuple[DemoNeed, ...]
    drafts: tuple[DemoDraft, ...]
    comments: tuple[DemoComment, ...]


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name_th: str
    name_en: str
    kind: str  # government | cso | community | academic


# CODI and the Sirindhorn Anthropology Centre are public organisations (องค์การมหาชน);
# the closest of the four kinds is "academic".
ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("msdhs", "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
                     "Ministry of Social Development and Human Security", "government"),
    DemoOrganisation("actionaid", "แอ็คชั่นเอด ประเทศไทย",
                     "ActionAid Thailand", "cso"),
    DemoOrganisation("chumchonthai", "มูลนิธิชุมชนไท",
                     "Chumchonthai Foundation", "cso"),
    DemoOrganisation("ndf", "มูลนิธิพัฒนาภาคเหนือ",
                     "Northern Development Foundation", "cso"),
    DemoOrganisation("codi", "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
                     "Community Organizations Development Institute (CODI)", "academic"),
    DemoOrganisation("sac", "ศูนย์มานุษยวิทยาสิรินธร (องค์การมหาชน)",
                     "Princess Maha Chakri Sirindhorn Anthropology Centre", "academic"),
)


def _gov(size: int) -> DemoGroup:
    return DemoGroup("government", "หน่วยงานรัฐ", "Government agencies", 3, size)


def _cso(size: int) -> DemoGroup:
    return DemoGroup("cso", "องค์กรภาคประชาสังคม", "Civil society organisations", 3, size)


# ---------------------------------------------------------------------- Satun
_SATUN = DemoRound(
    slug="satun-sea-nomads-2026", province_code="91", threshold=0.6,
    title_th="ชาวเลอูรักลาโว้ยเกาะหลีเป๊ะและเกาะสาหร่าย: ที่อยู่อาศัย ทะเล และสวัสดิการ",
    title_en="Urak Lawoi of Ko Lipe and Ko Sarai: housing, the sea and welfare",
    description_th="ชาวเลอูรักลาโว้ยบอกเล่าปัญหาเรื่องที่ดิน ทะเล และสวัสดิการ จากนั้นทุกฝ่ายร่วมอ่านและลงความเห็นต่อร่างของกระทรวงและร่างของภาคประชาสังคมทีละข้อ",
    description_en="Urak Lawoi families describe their problems with land, the sea and welfare; then everyone reads the ministry's and civil society's drafts and votes clause by clause.",
    groups=(
        DemoGroup("urak_lawoi", "ชาวเลอูรักลาโว้ย", "Urak Lawoi (Chao Lay)", 5, 24),
        _gov(8),
        _cso(8),
    ),
    needs=(
        DemoNeed("lipe-land-title", "urak_lawoi", "910106", "land_housing", (), 5, 1200,
            "ถูกฟ้องขับไล่ออกจากที่ดินที่อยู่มาหลายชั่วอายุคน", "Sued for eviction from land we have lived on for generations",
            "บ้านของเราอยู่บนเกาะหลีเป๊ะมาตั้งแต่รุ่นปู่ย่าตายาย แต่ตอนนี้มีคนถือโฉนดมาฟ้องให้เราออก ทางเดินลงทะเลและทางไปสุสานก็ถูกล้อมรั้วปิด เราอยากได้เอกสารสิทธิ์ที่ดินของชุมชน",
            "Our homes have been on Ko Lipe since our grandparents' time, but now people holding title deeds are suing to evict us. The paths to the sea and to our burial ground have been fenced off. We want the community's land rights on paper."),
        DemoNeed("lipe-fishing-grounds", "urak_lawoi", "910106", "fisheries", ("marine",), 4, 900,
            "ออกหาปลาในแหล่งทำกินเดิมไม่ได้เพราะเขตอุทยาน", "Shut out of our old fishing grounds by the national park",
            "เราหาปลา ดำน้ำเก็บหอย และวางลอบรอบเกาะมาตลอด แต่เจ้าหน้าที่อุทยานยึดเรือยึดลอบ บอกว่าเป็นเขตห้ามจับ ปลาก็น้อยลงทุกปีเพราะน้ำทะเลร้อนขึ้น",
            "We have always fished, dived for shellfish and set traps around the islands, but park officers seize our boats and traps and say it is a no-fishing zone. And there are fewer fish every year because the sea is getting warmer."),
        DemoNeed("lipe-disability-card", "urak_lawoi", "910106", "disability", (), 3, 45,
            "คนพิการในชุมชนยังไม่มีบัตรคนพิการ", "Disabled people in our village still have no disability card",
            "ต้องนั่งเรือไปโรงพยาบาลในตัวเมืองสตูลเพื่อให้หมอรับรองความพิการ ค่าเรือไปกลับหลายร้อยบาท หลายคนเลยไม่ได้ทำบัตรและไม่ได้เบี้ยความพิการ",
            "To have a doctor certify a disability we must take a boat to the hospital in Satun town, and the return fare is several hundred baht. So many people never get the card or the disability allowance."),
        DemoNeed("sarai-coastal-erosion", "urak_lawoi", "910106", "land_housing", ("coastal", "storm"), 4, 300,
            "คลื่นกัดเซาะชายฝั่งจนบ้านริมหาดพัง", "Waves are eating the shore and beachfront houses are collapsing",
            "ช่วงมรสุมคลื่นแรงขึ้นทุกปี หาดหน้าหมู่บ้านหายไปหลายเมตร บ้านพังไปแล้วสามหลัง ที่จอดเรือก็ไม่ปลอดภัย",
            "The monsoon waves get stronger every year. The beach in front of the village has lost several metres, three houses have already collapsed, and there is no safe place to moor."),
        DemoNeed("lipe-fresh-water", "urak_lawoi", "910106", "water", ("drought",), 3, 800,
            "หน้าแล้งน้ำจืดไม่พอ ต้องซื้อน้ำราคาแพง", "Not enough fresh water in the dry season; we have to buy it dear",
            "บ่อน้ำในหมู่บ้านเค็มขึ้นเพราะรีสอร์ตสูบน้ำบาดาลไปใช้มาก หน้าแล้งเราต้องซื้อน้ำใส่ถังราคาแพง บางวันก็ไม่มีขาย",
            "The village wells are turning salty because the resorts pump so much groundwater. In the dry season we buy water by the tank at high prices, and some days there is none to buy."),
        DemoNeed("lipe-language-school", "urak_lawoi", "910106", "culture", (), 2, 300,
            "อยากให้ลูกหลานได้เรียนภาษาอูรักลาโว้ยที่โรงเรียน", "We want our children to learn the Urak Lawoi language at school",
            "เด็ก ๆ พูดภาษาของเราน้อยลงทุกปี อยากให้โรงเรียนบนเกาะมีครูที่เป็นคนในชุมชนมาสอนภาษา เพลง และเรื่องเล่าของชาวเล",
            "Every year the children speak less of our language. We want the island school to have teachers from the community who teach our language, songs and Chao Lay stories."),
    ),
    drafts=(
        DemoDraft("ministry", "msdhs", "ร่างแผนเสริมความมั่นคงในชีวิตของชาวเล จังหวัดสตูล",
            "Draft plan for the life security of the Chao Lay, Satun Province", (
            DemoClause("disability-mobile-unit",
                "จัดหน่วยบริการเคลื่อนที่ไปประเมินความพิการและออกบัตรประจำตัวคนพิการที่เกาะหลีเป๊ะอย่างน้อยปีละสองครั้ง โดยสำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดสตูลร่วมกับโรงพยาบาลสตูล",
                "Send a mobile unit to Ko Lipe at least twice a year to assess disabilities and issue disability cards, run by the Satun social development office with Satun Hospital.",
                ("lipe-disability-card",), {"urak_lawoi": 0.9, "government": 0.88, "cso": 0.85}),
            DemoClause("land-working-group",
                "ตั้งคณะทำงานระดับจังหวัดเพื่อรวบรวมหลักฐานและไกล่เกลี่ยข้อพิพาทที่ดินบนเกาะหลีเป๊ะให้แล้วเสร็จภายในหนึ่งปี",
                "Set up a provincial working group to gather evidence and mediate the land disputes on Ko Lipe, finishing within one year.",
                ("lipe-land-title",), {"urak_lawoi": 0.55, "government": 0.85, "cso": 0.5}),
            DemoClause("relocation-housing",
                "สนับสนุนให้ครัวเรือนในพื้นที่เสี่ยงการกัดเซาะย้ายไปอยู่บนที่ดินของรัฐบนฝั่ง พร้อมสร้างบ้านใหม่ที่มั่นคงปลอดภัย",
                "Help households in erosion-risk zones move to state land on the mainland, with new, safe and secure houses.",
                ("sarai-coastal-erosion",), {"urak_lawoi": 0.15, "government": 0.8, "cso": 0.3}),
            DemoClause("rainwater-tanks",
                "จัดถังเก็บน้ำฝนให้ทุกครัวเรือนและระบบกรองน้ำประจำชุมชน และควบคุมการสูบน้ำบาดาลของสถานประกอบการบนเกาะ",
                "Provide rainwater tanks for every household and a community water filter, and regulate groundwater pumping by businesses on the island.",
                ("lipe-fresh-water",), {"urak_lawoi": 0.9, "government": 0.62, "cso": 0.85}),
        )),
        DemoDraft("cso", "chumchonthai", "ข้อเสนอเครือข่ายชาวเลอันดามัน: เขตวัฒนธรรมพิเศษชาวเลเกาะหลีเป๊ะ",
            "Andaman Chao Lay Network proposal: a special cultural zone for the Chao Lay of Ko Lipe", (
            DemoClause("cultural-zone",
                "ประกาศเขตวัฒนธรรมพิเศษชาวเลบนเกาะหลีเป๊ะตามมติคณะรัฐมนตรีวันที่ 2 มิถุนายน 2553 เพื่อคุ้มครองที่อยู่อาศัย สุสาน ทางเดินสาธารณะ และพื้นที่ประกอบพิธีกรรม",
                "Declare a special Chao Lay cultural zone on Ko Lipe under the Cabinet resolution of 2 June 2010, protecting homes, burial grounds, public paths and ritual sites.",
                ("lipe-land-title",), {"urak_lawoi": 0.92, "government": 0.25, "cso": 0.9}),
            DemoClause("traditional-fishing",
                "ให้ชาวเลทำประมงพื้นบ้านด้วยเครื่องมือดั้งเดิมในเขตอุทยานแห่งชาติตะรุเตาได้ โดยชุมชนและอุทยานร่วมกันกำหนดเขตและฤดูที่ต้องพักไว้ให้สัตว์น้ำฟื้นตัว",
                "Allow the Chao Lay to fish with traditional gear inside Tarutao National Park, with the community and the park jointly setting zones and seasons left to recover.",
                ("lipe-fishing-grounds",), {"urak_lawoi": 0.9, "government": 0.5, "cso": 0.85}),
            DemoClause("community-survey",
                "ให้ชุมชนร่วมสำรวจข้อมูลครัวเรือน คนพิการ และคนที่ยังไม่ได้รับสวัสดิการ แล้วใช้ข้อมูลชุดนี้ในการวางแผนของจังหวัด",
                "Let the community help survey households, disabled people and those still without welfare, and use this data in the province's planning.",
                ("lipe-disability-card",), {"urak_lawoi": 0.85, "government": 0.82, "cso": 0.9}),
            DemoClause("natural-shore",
                "ฟื้นฟูชายหาดด้วยการปลูกป่าชายหาด ปักไม้ชะลอคลื่น และวิธีทางธรรมชาติอื่นที่ชุมชนเห็นชอบ โดยไม่ย้ายชุมชนออกจากเกาะ",
                "Restore the beach by planting beach forest, setting wooden wave breaks and other natural methods the community agrees to, without moving anyone off the island.",
                ("sarai-coastal-erosion",), {"urak_lawoi": 0.88, "government": 0.55, "cso": 0.8}),
        )),
    ),
    comments=(
        DemoComment("ministry/relocation-housing", "urak_lawoi", "oppose",
            "เราเป็นคนทะเล ถ้าย้ายไปอยู่บนฝั่งก็ออกเรือไม่ได้ ไม่มีอาชีพ อยากให้ช่วยกันรักษาหาดให้เราอยู่ที่เดิม",
            "We are sea people. If we move to the mainland we can't go out in our boats and we'll have no living. Help us save the beach so we can stay where we are."),
        DemoComment("ministry/land-working-group", "cso", "amend",
            "ควรเพิ่มว่าระหว่างที่คณะทำงานตรวจสอบ ให้ชะลอการบังคับคดีขับไล่ และให้ตัวแทนชาวเลเป็นกรรมการอย่างน้อยหนึ่งในสาม",
            "Add that evictions are suspended while the working group investigates, and that at least a third of its members are Chao Lay representatives."),
        DemoComment("ministry/disability-mobile-unit", "urak_lawoi", "support",
            "ดีมาก ยายของฉันขาไม่ดี นั่งเรือไปในเมืองไม่ไหว ถ้าหมอมาที่เกาะจะได้ทำบัตรเสียที",
            "Very good. My grandmother's legs are bad and she can't manage the boat to town. If the doctor comes to the island she can finally get her card."),
        DemoComment("cso/cultural-zone", "government", "question",
            "เขตวัฒนธรรมพิเศษจะมีผลทางกฎหมายต่อโฉนดที่ออกไปแล้วอย่างไร และหน่วยงานใดจะเป็นเจ้าภาพหลัก",
            "What legal effect would a special cultural zone have on title deeds already issued, and which agency would lead it?"),
        DemoComment("cso/traditional-fishing", "government", "amend",
            "เห็นด้วยในหลักการ แต่ควรระบุชนิดเครื่องมือที่อนุญาตให้ชัด และติดตามปริมาณสัตว์น้ำร่วมกันทุกปี",
            "Agreed in principle, but the permitted gear should be listed clearly and fish stocks monitored jointly every year."),
    ),
)

# ---------------------------------------------------------------------- Ranong
_RANONG = DemoRound(
    slug="ranong-displaced-thais-2026", province_code="85", threshold=0.6,
    title_th="คนไทยพลัดถิ่นจังหวัดระนอง: สถานะบุคคลและการเข้าถึงบริการของรัฐ",
    title_en="Displaced Thais in Ranong: legal status and access to public services",
    description_th="รวบรวมปัญหาของคนไทยพลัดถิ่นที่ยังรอการพิสูจน์สัญชาติ และหาข้อเสนอที่ทุกฝ่ายยอมรับ เพื่อให้ได้บัตรเร็วขึ้นและไม่ตกหล่นจากสวัสดิการระหว่างรอ",
    description_en="Gathering the problems of displaced Thais still waiting for nationality verification, and looking for proposals everyone accepts so that cards come faster and nobody loses welfare while waiting.",
    groups=(
        DemoGroup("displaced_thai", "คนไทยพลัดถิ่น", "Displaced Thais", 5, 24),
        _gov(8),
        _cso(8),
    ),
    needs=(
        DemoNeed("id-card-backlog", "displaced_thai", "850405", "legal_status", (), 5, 3200,
            "ยื่นขอพิสูจน์สัญชาติมาหลายปีแล้ว ยังไม่ได้บัตรประชาชน", "Applied for nationality verification years ago, still no ID card",
            "เรายื่นเอกสารที่อำเภอตั้งแต่ปี 2560 เจ้าหน้าที่บอกให้รอ ถามกี่ครั้งก็ไม่คืบหน้า ทุกวันนี้ยังถือบัตรเลขศูนย์อยู่",
            "We handed in our papers at the district office in 2017 and were told to wait. However often we ask, nothing moves; we still carry the card whose number starts with zero."),
        DemoNeed("health-coverage", "displaced_thai", "850101", "health", (), 4, 2500,
            "ไม่มีสิทธิ์บัตรทอง ป่วยหนักต้องจ่ายค่ารักษาเอง", "No gold-card coverage: serious illness means paying for treatment ourselves",
            "พ่อเป็นเบาหวาน ต้องไปโรงพยาบาลทุกเดือน ค่ายาค่าหมอจ่ายเองทั้งหมด เพราะยังไม่ได้สัญชาติไทยเลยใช้บัตรทองไม่ได้",
            "My father is diabetic and goes to hospital every month. We pay for all his medicine and doctor's fees ourselves, because without Thai nationality we can't use the gold card."),
        DemoNeed("elderly-allowance", "displaced_thai", "850402", "welfare", (), 3, 600,
            "ผู้สูงอายุไม่ได้เบี้ยยังชีพ", "Our elderly receive no old-age allowance",
            "ยายอายุแปดสิบแล้ว เกิดและโตที่นี่ แต่ไม่ได้เบี้ยผู้สูงอายุเพราะบัตรที่ถือยังไม่ใช่บัตรคนไทย",
            "Grandma is eighty, born and raised here, but gets no old-age allowance because the card she holds is not a Thai citizen's card."),
        DemoNeed("youth-education", "displaced_thai", "850302", "education", (), 3, 450,
            "เด็กเรียนจบแล้วเรียนต่อหรือหางานยากเพราะไม่มีสัญชาติ", "Young people struggle to study further or find work without nationality",
            "ลูกเรียนจบ ม.6 แต่กู้เงิน กยศ. ไม่ได้ จะไปเรียนหรือทำงานต่างจังหวัดก็ต้องขออนุญาตออกนอกพื้นที่ทุกครั้ง",
            "My child finished Grade 12 but cannot get a student loan, and must ask permission every time to leave the province to study or work."),
        DemoNeed("flood-relief-excluded", "displaced_thai", "850103", "welfare", ("flood", "landslide"), 4, 350,
            "น้ำป่าท่วมบ้าน แต่ไม่ได้เงินช่วยเหลือเพราะไม่มีชื่อในทะเบียนบ้าน", "Flash floods hit our homes, but no relief because we are not on a house register",
            "หน้าฝนน้ำป่าจากเขาไหลลงมาท่วมบ้านริมคลองแทบทุกปี อำเภอจ่ายเงินช่วยเหลือเฉพาะคนที่มีชื่อในทะเบียนบ้าน พวกเราเลยไม่ได้อะไรเลย",
            "Almost every rainy season flash floods come down from the hills into our houses by the stream. The district pays relief only to people on a house register, so we get nothing."),
    ),
    drafts=(
        DemoDraft("ministry", "msdhs", "ร่างมาตรการเร่งรัดการพิสูจน์สถานะและคืนสิทธิ์ให้คนไทยพลัดถิ่น จังหวัดระนอง",
            "Draft measures to speed up status verification and restore rights for displaced Thais, Ranong", (
            DemoClause("status-fast-track",
                "ตั้งศูนย์เร่งรัดพิสูจน์สัญชาติ ณ ที่ว่าการอำเภอกระบุรีและอำเภอเมืองระนอง พิจารณาคำขอที่ค้างอยู่ให้เสร็จภายใน 12 เดือน และแจ้งความคืบหน้าให้ผู้ยื่นคำขอทราบทุก 3 เดือน",
                "Open fast-track nationality verification centres at the Kra Buri and Mueang Ranong district offices, clear the backlog within 12 months, and tell applicants how their case stands every 3 months.",
                ("id-card-backlog",), {"displaced_thai": 0.9, "government": 0.85, "cso": 0.88}),
            DemoClause("interim-health",
                "ระหว่างรอผลการพิสูจน์สัญชาติ ให้ผู้ยื่นคำขอใช้สิทธิ์รักษาพยาบาลจากกองทุนสำหรับบุคคลที่มีปัญหาสถานะและสิทธิได้",
                "While awaiting the result, applicants may receive health care under the fund for people with status and rights problems.",
                ("health-coverage",), {"displaced_thai": 0.85, "government": 0.7, "cso": 0.75}),
            DemoClause("two-witnesses",
                "ผู้ยื่นคำขอต้องมีพยานบุคคลที่มีสัญชาติไทยอย่างน้อยสองคนรับรองว่ามีเชื้อสายไทย",
                "Applicants must bring at least two witnesses of Thai nationality to confirm their Thai descent.",
                ("id-card-backlog",), {"displaced_thai": 0.2, "government": 0.8, "cso": 0.25}),
        )),
        DemoDraft("cso", "actionaid", "ข้อเสนอเครือข่ายคนไทยพลัดถิ่น: สิทธิ์ที่ไม่ต้องรอบัตร",
            "Displaced Thais Network proposal: rights that should not wait for the card", (
            DemoClause("free-dna-test",
                "ให้รัฐรับภาระค่าตรวจดีเอ็นเอเมื่อจำเป็นต้องใช้พิสูจน์ความสัมพันธ์ทางสายเลือด",
                "The state pays for DNA tests when they are needed to prove family ties.",
                ("id-card-backlog",), {"displaced_thai": 0.9, "government": 0.6, "cso": 0.9}),
            DemoClause("welfare-while-waiting",
                "ผู้ที่ยื่นคำขอพิสูจน์สัญชาติไว้แล้ว ให้ได้รับเบี้ยยังชีพผู้สูงอายุและเบี้ยความพิการระหว่างรอผล",
                "People who have applied for nationality verification receive the old-age and disability allowances while they wait for the result.",
                ("elderly-allowance",), {"displaced_thai": 0.9, "government": 0.25, "cso": 0.85}),
            DemoClause("study-and-travel",
                "ยกเลิกการขออนุญาตออกนอกพื้นที่สำหรับนักเรียนนักศึกษา และให้ผู้ยื่นคำขอพิสูจน์สัญชาติกู้ยืมเงิน กยศ. ได้",
                "Drop the travel-permit requirement for students, and let nationality applicants borrow from the Student Loan Fund.",
                ("youth-education",), {"displaced_thai": 0.85, "government": 0.5, "cso": 0.8}),
            DemoClause("check-status",
                "ให้ผู้ยื่นคำขอตรวจสอบสถานะคำขอของตนเองได้ทางโทรศัพท์หรือที่อำเภอ และแจ้งเหตุผลทุกครั้งที่เรื่องล่าช้า",
                "Applicants can check their own case by phone or at the district office, and are told the reason whenever it is delayed.",
                ("id-card-backlog",), {"displaced_thai": 0.88, "government": 0.8, "cso": 0.85}),
        )),
    ),
    comments=(
        DemoComment("ministry/two-witnesses", "displaced_thai", "oppose",
            "คนรุ่นพ่อแม่ที่รู้จักเราเสียชีวิตไปหมดแล้ว จะหาพยานสองคนจากไหน ข้อนี้ทำให้คนแก่ไม่มีวันได้บัตร",
            "The people of our parents' generation who knew us have all died. Where would we find two witnesses? With this rule the old folks will never get a card."),
        DemoComment("ministry/status-fast-track", "displaced_thai", "support",
            "ขอให้ทำได้จริงตามกำหนด ครั้งก่อนก็เคยสัญญาไว้ สี่เดือนผ่านไปก็ไม่มีอะไรคืบหน้า",
            "Please really keep to the deadline. We were promised this before, and four months on there was no progress."),
        DemoComment("cso/welfare-while-waiting", "government", "question",
            "งบเบี้ยยังชีพผูกกับผู้มีสัญชาติไทย ถ้าจะจ่ายระหว่างรอผล ต้องแก้ระเบียบข้อใด และจะใช้งบจากส่วนไหน",
            "The allowance budget is tied to Thai nationals. To pay while people wait, which regulation must change, and whose budget would pay?"),
        DemoComment("cso/free-dna-test", "cso", "amend",
            "ควรเขียนให้ชัดว่าตรวจดีเอ็นเอเฉพาะเมื่อไม่มีเอกสารหรือพยานอื่น ไม่ใช่บังคับให้ทุกคนต้องตรวจ",
            "It should say clearly that DNA tests are only for when there are no documents or other witnesses, not something everyone is required to take."),
        DemoComment("ministry/interim-health", "cso", "support",
            "ข้อนี้ช่วยผู้ป่วยเรื้อรังได้ทันที ขอให้โรงพยาบาลระนองแจ้งสิทธิ์นี้ที่จุดรับบัตรด้วย",
            "This helps the chronically ill straight away. Ranong Hospital should also explain this right at the registration desk."),
    ),
)

# ---------------------------------------------------------------------- Phang Nga
MOKEN_UNREACHED = 4  # Moken voters on a clause the island meeting did not reach: shown in public, under the quorum
_PHANGNGA = DemoRound(
    slug="phangnga-farmers-moken-2026", province_code="82", threshold=0.6,
    title_th="เกษตรกรรายย่อยและชาวมอแกนจังหวัดพังงา: น้ำ ภัยแล้ง น้ำท่วม และอาชีพ",
    title_en="Smallholders and Moken in Phang Nga: water, drought, floods and livelihoods",
    description_th="ชาวสวนรายย่อยและชาวมอแกนเล่าถึงความเสียหายจากภัยแล้งและน้ำป่า แล้วร่วมพิจารณาร่างแผนของกระทรวงและข้อเสนอของภาคประชาสังคมทีละข้อ",
    description_en="Smallholder farmers and Moken describe their losses from drought and flash floods, then weigh the ministry's plan and civil society's proposal clause by clause.",
    groups=(
        DemoGroup("farmers", "เกษตรกรรายย่อย", "Smallholder farmers", 5, 22),
        # Few and hard to reach: below quorum on every clause but the two a meeting on the island reached
        # (DemoClause.voters), so the demo shows both a settled clause and a voice still missing.
        DemoGroup("moken", "ชาวมอแกน", "Moken", 5, 7),
        _gov(8),
        _cso(7),
    ),
    needs=(
        DemoNeed("durian-drought", "farmers", "820701", "agriculture", ("drought", "heat"), 4, 1500,
            "หน้าแล้งยาวขึ้น ต้นทุเรียนและยางยืนต้นตาย", "Longer dry seasons: durian and rubber trees are dying",
            "ปีที่แล้วฝนไม่ตกเกือบสี่เดือน ทุเรียนที่ปลูกมาหกปีตายไปครึ่งสวน ในไร่ไม่มีบ่อน้ำ ต้องซื้อน้ำใส่รถมารด",
            "Last year it hardly rained for four months and half of the durian trees we planted six years ago died. There is no pond on the farm, so we bought water by the truckload."),
        DemoNeed("kapong-flash-flood", "farmers", "820301", "agriculture", ("flood", "landslide"), 4, 700,
            "น้ำป่าซัดสวนเสียหาย ได้เงินชดเชยน้อยและช้า", "Flash floods wrecked our orchards; compensation is small and slow",
            "น้ำป่าจากเขามาเร็วมาก พัดหน้าดินในสวนไปหมด เงินช่วยเหลือได้ไร่ละไม่กี่ร้อยบาท และต้องรอหลายเดือน",
            "The flood came down from the hills very fast and washed the topsoil off our orchards. Relief was a few hundred baht per rai, and we waited months for it."),
        DemoNeed("farm-water", "farmers", "820404", "water", ("drought",), 3, 900,
            "ไม่มีแหล่งน้ำในไร่นา อยากได้สระน้ำประจำไร่", "No water source on our farms: we want a farm pond",
            "คลองแห้งตั้งแต่เดือนกุมภาพันธ์ ถ้ามีสระน้ำในไร่สักบ่อ เราก็รดต้นไม้และปลูกผักขายได้ทั้งปี",
            "The canal is dry from February. With even one pond on the farm we could water the trees and grow vegetables to sell all year."),
        DemoNeed("rubber-price-debt", "farmers", "820505", "work_income", (), 3, 1100,
            "ราคายางตกต่ำ รายได้ไม่พอใช้หนี้", "Rubber prices are low and income does not cover our debts",
            "กรีดยางได้วันละไม่กี่ร้อยบาท พอฝนตกชุกก็กรีดไม่ได้ หนี้ ธ.ก.ส. และหนี้นอกระบบพอกขึ้นทุกปี",
            "Tapping rubber brings a few hundred baht a day, and in heavy rain we can't tap at all. Our debts to the farmers' bank and to moneylenders grow every year."),
        DemoNeed("moken-sea-access", "moken", "820603", "fisheries", ("marine",), 4, 250,
            "ขึ้นเกาะและหาปลาในที่ทำกินเดิมไม่ได้", "We can no longer land on our islands or fish our old grounds",
            "เราเคยย้ายไปหาปลาและเก็บหอยตามเกาะต่าง ๆ ตามฤดู แต่ตอนนี้หลายเกาะเป็นเขตอุทยาน เจ้าหน้าที่ไม่ให้ขึ้น ส่วนงานรับจ้างพานักท่องเที่ยวก็มีแค่บางเดือน",
            "We used to move between islands with the seasons to fish and gather shellfish, but many are now in the national park and officers won't let us land. Work taking tourists out only lasts a few months."),
        DemoNeed("moken-citizenship", "moken", "820504", "legal_status", (), 4, 120,
            "ผู้เฒ่ามอแกนหลายคนยังไม่มีบัตรประชาชน", "Many Moken elders still have no ID card",
            "ผู้เฒ่าหลายคนยังไม่ได้สัญชาติ ไปโรงพยาบาลก็ไม่มีสิทธิ์ เด็กบางคนไม่มีสูติบัตรเพราะคลอดบนเกาะ",
            "Many elders still have no nationality, so they have no rights at the hospital. Some children have no birth certificate because they were born on the islands."),
    ),
    drafts=(
        DemoDraft("ministry", "msdhs", "ร่างแผนรับมือภัยแล้งและน้ำท่วมสำหรับเกษตรกรรายย่อยและกลุ่มเปราะบาง จังหวัดพังงา",
            "Draft drought and flood plan for smallholders and vulnerable groups, Phang Nga Province", (
            DemoClause("farm-ponds",
                "สนับสนุนการขุดสระน้ำในไร่นาให้เกษตรกรรายย่อยที่มีที่ดินไม่เกิน 15 ไร่ ครัวเรือนละหนึ่งบ่อ โดยเริ่มจากตำบลที่เสี่ยงภัยแล้งมากที่สุด",
                "Fund one farm pond per household for smallholders with no more than 15 rai, starting with the subdistricts most at risk of drought.",
                ("farm-water", "durian-drought"), {"farmers": 0.9, "moken": 0.6, "government": 0.85, "cso": 0.8},
                voters={"moken": MOKEN_UNREACHED}),
            DemoClause("fast-relief",
                "จ่ายเงินช่วยเหลือผู้ประสบภัยน้ำท่วมและภัยแล้งภายใน 30 วันหลังประกาศเขตการให้ความช่วยเหลือ โดยใช้ข้อมูลความเสียหายที่ชุมชนสำรวจร่วมกับอาสาสมัคร",
                "Pay flood and drought relief within 30 days of the disaster declaration, using damage data gathered by the community with volunteers.",
                ("kapong-flash-flood", "durian-drought"), {"farmers": 0.88, "moken": 0.8, "government": 0.82, "cso": 0.85}),
            DemoClause("crop-switch",
                "ส่งเสริมให้เกษตรกรเปลี่ยนจากยางพาราและทุเรียนไปปลูกพืชใช้น้ำน้อยตามที่หน่วยงานแนะนำ โดยถือเป็นเงื่อนไขในการรับการสนับสนุนจากรัฐ",
                "Move farmers from rubber and durian to low-water crops recommended by the agencies, as a condition for receiving state support.",
                ("durian-drought", "rubber-price-debt"), {"farmers": 0.2, "moken": 0.5, "government": 0.8, "cso": 0.3},
                voters={"moken": MOKEN_UNREACHED}),
        )),
        DemoDraft("cso", "actionaid", "ข้อเสนอภาคประชาสังคม: อาชีพที่รับมือภูมิอากาศได้ สำหรับชาวสวนและชาวมอแกน",
            "Civil society proposal: climate-resilient livelihoods for smallholders and the Moken", (
            DemoClause("moken-sea-rights",
                "รับรองสิทธิ์ของชาวมอแกนในการขึ้นเกาะ หาปลา และเก็บหอยตามวิถีดั้งเดิม ในอุทยานแห่งชาติหมู่เกาะสุรินทร์และเกาะโดยรอบ",
                "Recognise the Moken's right to land on islands, fish and gather shellfish in their traditional way in Mu Ko Surin National Park and the surrounding islands.",
                ("moken-sea-access",), {"farmers": 0.7, "moken": 0.95, "government": 0.3, "cso": 0.85}),
            DemoClause("subdistrict-fund",
                "ตั้งกองทุนภัยพิบัติระดับตำบลที่ชุมชนบริหารเอง เพื่อจ่ายเงินช่วยเหลือเบื้องต้นได้ภายใน 7 วันหลังเกิดภัย",
                "Set up community-run disaster funds in each subdistrict that can pay first relief within 7 days of a disaster.",
                ("kapong-flash-flood",), {"farmers": 0.85, "moken": 0.75, "government": 0.5, "cso": 0.9},
                voters={"moken": MOKEN_UNREACHED}),
            DemoClause("mixed-farming",
                "สนับสนุนสวนผสมและวนเกษตรโดยไม่บังคับให้เลิกปลูกยาง พร้อมทุนตั้งต้น และการรวมกลุ่มแปรรูปและขายผลผลิต",
                "Support mixed orchards and agroforestry without forcing anyone to give up rubber, with start-up funds and groups to process and sell produce together.",
                ("durian-drought", "rubber-price-debt"), {"farmers": 0.85, "moken": 0.6, "government": 0.65, "cso": 0.9},
                voters={"moken": MOKEN_UNREACHED}),
        )),
    ),
    comments=(
        DemoComment("ministry/crop-switch", "farmers", "oppose",
            "ทุเรียนเป็นรายได้หลักของเรา จะให้เลิกแล้วไปปลูกอะไรที่ขายไม่ได้ ควรช่วยเรื่องน้ำมากกว่าบังคับให้เปลี่ยน",
            "Durian is our main income. Why give it up to grow something we can't sell? Help us with water instead of forcing us to switch."),
        DemoComment("ministry/farm-ponds", "moken", "question",
            "พวกเราไม่มีที่ดินทำกิน ข้อนี้ไม่ได้ช่วยชาวมอแกนเลย แล้วเรื่องบัตรประชาชนของผู้เฒ่าจะอยู่ในร่างไหน",
            "We have no farmland, so this does nothing for the Moken. And where in these drafts is the ID card problem of our elders?"),
        DemoComment("cso/moken-sea-rights", "government", "question",
            "ข้อนี้จะขัดกับพระราชบัญญัติอุทยานแห่งชาติ พ.ศ. 2562 หรือไม่ ทำเป็นข้อตกลงการใช้ประโยชน์ร่วมกับอุทยานแทนได้ไหม",
            "Would this conflict with the National Parks Act 2019? Could it be a joint use agreement with the park instead?"),
        DemoComment("cso/subdistrict-fund", "farmers", "support",
            "ถ้าได้เงินภายในเจ็ดวันจะช่วยได้มาก ตอนนี้ต้องไปกู้นอกระบบมาฟื้นสวน",
            "Money within seven days would help a lot. Right now we borrow from moneylenders to restore our orchards."),
        DemoComment("ministry/fast-relief", "cso", "amend",
            "เสนอให้นับความเสียหายของเรือและเครื่องมือประมงด้วย ไม่ใช่เฉพาะพืชผล",
            "Propose that damage to boats and fishing gear also counts, not only crops."),
    ),
)

# ---------------------------------------------------------------------- Mae Hong Son
_MAEHONGSON = DemoRound(
    slug="maehongson-highland-peoples-2026", province_code="58", threshold=0.6,
    title_th="กลุ่มชาติพันธุ์บนพื้นที่สูงแม่ฮ่องสอน: ที่ดิน ป่า หมอกควัน และบริการพื้นฐาน",
    title_en="Highland peoples of Mae Hong Son: land, forest, haze and basic services",
    description_th="ชุมชนปกาเกอะญอและลีซูเสนอปัญหาสิทธิ์ในที่ดินป่า หมอกควัน น้ำ และไฟฟ้า แล้วร่วมกับหน่วยงานรัฐและภาคประชาสังคมพิจารณาร่างข้อเสนอทีละข้อ",
    description_en="Karen and Lisu communities raise forest land rights, haze, water and electricity, then weigh the drafts clause by clause with government and civil society.",
    groups=(
        DemoGroup("karen", "ปกาเกอะญอ (กะเหรี่ยง)", "Karen (Pgaz K'Nyau)", 5, 14),
        DemoGroup("lisu", "ลีซู", "Lisu", 5, 10),
        _gov(8),
        _cso(8),
    ),
    needs=(
        DemoNeed("rotational-farm-arrests", "karen", "580606", "natural_resources", (), 5, 2000,
            "ไร่หมุนเวียนถูกประกาศทับเป็นเขตป่าอนุรักษ์", "Our rotational farms were declared conservation forest",
            "เราทำไร่หมุนเวียนที่นี่มาหลายร้อยปี แต่พอประกาศเขตป่า ไร่ที่พักไว้กลายเป็นที่บุกรุก คนที่กลับไปทำไร่ตามรอบถูกจับ",
            "We have farmed here in rotation for centuries, but once the forest was declared our resting fields became 'encroachment', and people who return to farm in their turn are arrested."),
        DemoNeed("community-land-title", "karen", "580501", "land_housing", (), 4, 1500,
            "อยากได้โฉนดชุมชนให้ทั้งหมู่บ้าน", "We want a community land title for the whole village",
            "หมู่บ้านเราไม่มีเอกสารสิทธิ์อะไรเลย ทั้งที่อยู่มาก่อนประกาศเขตป่า อยากให้ทั้งชุมชนถือสิทธิ์ร่วมกัน ที่ดินจะได้ไม่หลุดมือไปเป็นของคนนอก",
            "Our village has no land papers at all, though we were here before the forest was declared. We want the community to hold the rights together so the land never passes to outsiders."),
        DemoNeed("haze-children", "lisu", "580701", "health", ("haze",), 4, 3000,
            "หมอกควันหนาทุกหน้าแล้ง เด็กและคนแก่ป่วย", "Thick haze every dry season makes children and elders ill",
            "ช่วงมีนาถึงเมษาควันหนาจนมองไม่เห็นดอย เด็กเล็กกับคนแก่ไอทั้งคืน โรงพยาบาลก็อยู่ไกล แต่ชาวบ้านกลับถูกกล่าวหาว่าเป็นคนเผาป่า ทั้งที่เราทำแนวกันไฟทุกปี",
            "From March to April the smoke is so thick we can't see the mountains. Small children and old people cough all night and the hospital is far away. Yet villagers are blamed for the fires, though we cut firebreaks every year."),
        DemoNeed("no-electricity", "lisu", "580704", "infrastructure", (), 3, 400,
            "หมู่บ้านยังไม่มีไฟฟ้าเพราะอยู่ในเขตป่า", "Our village has no grid power because it lies in a forest zone",
            "การไฟฟ้าบอกว่าเดินสายผ่านเขตป่าไม่ได้ แผงโซลาร์ที่ได้มาเสียแล้วไม่มีใครซ่อม เด็ก ๆ ต้องทำการบ้านใต้ไฟฉาย",
            "The electricity authority says it can't run lines through the forest zone. The solar panels we were given broke and nobody repairs them; the children do homework by torchlight."),
        DemoNeed("mountain-water", "karen", "580603", "water", ("drought",), 3, 600,
            "ประปาภูเขาแห้งในหน้าแล้ง", "The gravity-fed village water runs dry in the dry season",
            "ลำห้วยที่ต่อท่อน้ำลงมาใช้ในหมู่บ้านแห้งเร็วขึ้นทุกปี ผู้หญิงกับเด็กต้องเดินไปตักน้ำไกลเกือบชั่วโมง",
            "The stream we pipe down to the village dries up earlier every year. Women and children walk almost an hour to fetch water."),
        DemoNeed("landslide-road", "karen", "580405", "infrastructure", ("landslide", "flood"), 3, 800,
            "หน้าฝนดินสไลด์ปิดถนน ออกจากหมู่บ้านไม่ได้", "Landslides block the road every rainy season and cut the village off",
            "ถนนดินเข้าหมู่บ้านขาดทุกหน้าฝน คนป่วยและหญิงท้องแก่ต้องหามเดินลงไปถึงถนนใหญ่",
            "The dirt road to the village breaks every rainy season. The sick and women close to giving birth have to be carried down to the main road."),
    ),
    drafts=(
        DemoDraft("ministry", "msdhs", "ร่างแผนพัฒนาคุณภาพชีวิตกลุ่มชาติพันธุ์บนพื้นที่สูง จังหวัดแม่ฮ่องสอน",
            "Draft plan to improve the lives of highland ethnic groups, Mae Hong Son Province", (
            DemoClause("clean-air-rooms",
                "จัดห้องปลอดฝุ่นในศูนย์พัฒนาเด็กเล็กและโรงพยาบาลส่งเสริมสุขภาพตำบลทุกแห่งในพื้นที่เสี่ยง และแจกหน้ากากกันฝุ่นให้เด็ก ผู้สูงอายุ และผู้ป่วยติดเตียง",
                "Set up clean-air rooms in every childcare centre and subdistrict health clinic in at-risk areas, and hand out dust masks to children, elders and bedridden patients.",
                ("haze-children",), {"karen": 0.9, "lisu": 0.92, "government": 0.88, "cso": 0.85}),
            DemoClause("burn-ban",
                "ห้ามเผาในที่ดินเกษตรและในเขตป่าทุกกรณีระหว่างวันที่ 1 กุมภาพันธ์ถึง 30 เมษายน และดำเนินคดีกับผู้ฝ่าฝืน",
                "Ban all burning on farmland and in forest areas from 1 February to 30 April, and prosecute anyone who breaks the ban.",
                ("haze-children",), {"karen": 0.15, "lisu": 0.25, "government": 0.85, "cso": 0.3}),
            DemoClause("section-64-survey",
                "สำรวจการถือครองที่ดินของราษฎรในเขตอุทยานแห่งชาติตามมาตรา 64 แห่งพระราชบัญญัติอุทยานแห่งชาติ พ.ศ. 2562 และอนุญาตให้อยู่อาศัยและทำกินได้คราวละไม่เกิน 20 ปี",
                "Survey villagers' landholdings inside national parks under Section 64 of the National Parks Act 2019, and permit living and farming there for up to 20 years at a time.",
                ("rotational-farm-arrests", "community-land-title"), {"karen": 0.5, "lisu": 0.55, "government": 0.85, "cso": 0.45}),
            DemoClause("power-to-villages",
                "ประสานการไฟฟ้าส่วนภูมิภาคและกรมอุทยานแห่งชาติ สัตว์ป่า และพันธุ์พืช ให้ขยายไฟฟ้าเข้าหมู่บ้านที่ตั้งอยู่ก่อนประกาศเขตป่า และอบรมช่างชุมชนให้ดูแลระบบโซลาร์เซลล์",
                "Get the Provincial Electricity Authority and the national parks department to extend power to villages older than the forest declaration, and train village technicians to maintain solar systems.",
                ("no-electricity",), {"karen": 0.82, "lisu": 0.88, "government": 0.75, "cso": 0.8}),
        )),
        DemoDraft("cso", "ndf", "ข้อเสนอเครือข่ายกลุ่มชาติพันธุ์: สิทธิ์ชุมชนในที่ดินและป่า",
            "Ethnic peoples' network proposal: community rights to land and forest", (
            DemoClause("rotational-farming",
                "รับรองไร่หมุนเวียนเป็นระบบเกษตรตามวัฒนธรรม และไม่ถือว่าพื้นที่ไร่ที่พักไว้ตามรอบเป็นการบุกรุกป่า",
                "Recognise rotational farming as a cultural farming system, and do not treat fields resting in the rotation as forest encroachment.",
                ("rotational-farm-arrests",), {"karen": 0.95, "lisu": 0.75, "government": 0.3, "cso": 0.9}),
            DemoClause("community-title",
                "ออกโฉนดชุมชนให้หมู่บ้านที่พิสูจน์ได้ว่าอยู่มาก่อนประกาศเขตป่า โดยใช้แผนที่ที่ชุมชนจัดทำร่วมกับหน่วยงานเป็นหลักฐาน",
                "Issue community land titles to villages that can show they predate the forest declaration, using maps made by the community with the agencies as evidence.",
                ("community-land-title", "rotational-farm-arrests"), {"karen": 0.9, "lisu": 0.85, "government": 0.45, "cso": 0.9}),
            DemoClause("fire-plans",
                "ให้แต่ละหมู่บ้านทำแผนจัดการไฟร่วมกับอำเภอ มีปฏิทินการเผาที่ควบคุมได้ และได้งบประมาณทำแนวกันไฟทุกปี",
                "Each village draws up a fire management plan with the district, with a controlled burning calendar and a yearly budget for firebreaks.",
                ("haze-children",), {"karen": 0.85, "lisu": 0.85, "government": 0.75, "cso": 0.85}),
        )),
    ),
    comments=(
        DemoComment("ministry/burn-ban", "karen", "oppose",
            "ถ้าห้ามเผาเลย ไร่หมุนเวียนก็ทำไม่ได้ ข้าวที่เรากินทั้งปีมาจากไร่ อยากให้จัดการไฟร่วมกันมากกว่าห้ามอย่างเดียว",
            "A total ban means no rotational farming, and the rice we eat all year comes from those fields. We'd rather manage fire together than just ban it."),
        DemoComment("ministry/section-64-survey", "lisu", "question",
            "อนุญาตคราวละ 20 ปี แล้วหลังจากนั้นลูกหลานเราจะอยู่ต่อได้ไหม ถ้าเปลี่ยนเจ้าหน้าที่จะเปลี่ยนกติกาหรือเปล่า",
            "Twenty years at a time, and then can our children stay on? If the officials change, will the rules change too?"),
        DemoComment("cso/rotational-farming", "government", "amend",
            "ควรกำหนดรอบหมุนเวียนและขนาดพื้นที่ให้ชัด ไม่อย่างนั้นจะแยกไม่ออกว่าเป็นไร่หมุนเวียนหรือการเปิดป่าใหม่",
            "The rotation cycle and plot size should be defined, otherwise nobody can tell rotational fields from newly cleared forest."),
        DemoComment("ministry/clean-air-rooms", "lisu", "support",
            "ลูกฉันเป็นหอบหืด ปีที่แล้วต้องหามลงไปโรงพยาบาลกลางดึก ถ้ามีห้องปลอดฝุ่นที่ รพ.สต. จะช่วยได้มาก",
            "My child has asthma; last year we had to carry her down to hospital in the middle of the night. A clean-air room at the health clinic would help a lot."),
        DemoComment("cso/community-title", "cso", "support",
            "หลายหมู่บ้านทำแผนที่ชุมชนไว้แล้ว ใช้เป็นหลักฐานได้ทันที ไม่ต้องเริ่มสำรวจใหม่",
            "Many villages have already made community maps; they can serve as evidence right away, without starting a new survey."),
    ),
)

# ---------------------------------------------------------------------- Bangkok
_BANGKOK = DemoRound(
    slug="bangkok-urban-poor-2026", province_code="10", threshold=0.6,
    title_th="คนจนเมืองกรุงเทพฯ: ที่อยู่อาศัย การไล่รื้อ ความร้อน น้ำท่วม และสวัสดิการ",
    title_en="Bangkok's urban poor: housing, eviction, heat, flooding and welfare",
    description_th="ชุมชนริมทางรถไฟ ริมคลอง และชุมชนแออัดในกรุงเทพฯ เสนอปัญหาของตนเอง แล้วร่วมกับหน่วยงานรัฐและภาคประชาสังคมพิจารณาร่างแนวทางทีละข้อ",
    description_en="Railway, canal-side and crowded inner-city communities in Bangkok raise their problems, then weigh the draft guidelines clause by clause with government and civil society.",
    groups=(
        DemoGroup("urban_poor", "ชุมชนคนจนเมือง", "Urban poor communities", 5, 25),
        _gov(8),
        _cso(7),
    ),
    needs=(
        DemoNeed("railway-eviction", "urban_poor", "102901", "land_housing", (), 5, 2500,
            "ชุมชนริมทางรถไฟถูกสั่งให้ย้ายออกโดยไม่มีที่รองรับ", "Railway-side community ordered out with nowhere to go",
            "การรถไฟส่งหนังสือให้ย้ายออกภายในเก้าสิบวันเพื่อทำโครงการ เราอยู่ที่นี่มาสามสิบปี ลูกเรียนแถวนี้ งานก็อยู่แถวนี้ ไม่รู้จะไปอยู่ที่ไหน",
            "The railway sent letters telling us to leave within ninety days for a project. We have lived here thirty years; our children's schools and our jobs are here. We don't know where to go."),
        DemoNeed("tin-roof-heat", "urban_poor", "103301", "health", ("heat",), 3, 4000,
            "ห้องเช่าหลังคาสังกะสีร้อนจนนอนไม่ได้", "Tin-roofed rooms are too hot to sleep in",
            "เดือนเมษาในห้องร้อนเกินสี่สิบองศา คนแก่กับคนป่วยติดเตียงเป็นลมไปหลายคน ในชุมชนไม่มีต้นไม้ ไม่มีที่ให้หลบร้อน",
            "In April it is over forty degrees inside. Several old people and bedridden patients have fainted. There are no trees in the community and nowhere to escape the heat."),
        DemoNeed("canal-flooding", "urban_poor", "103802", "land_housing", ("flood",), 4, 1800,
            "น้ำท่วมขังบ้านริมคลองทุกหน้าฝน", "Canal-side homes flood every rainy season",
            "ฝนตกหนักแค่ครึ่งชั่วโมงน้ำก็เข้าบ้าน ท่อระบายน้ำตัน ข้าวของเสียหายทุกปี แต่ไม่เคยได้เงินช่วยเหลือเพราะเป็นบ้านเช่า",
            "Half an hour of heavy rain and the water is in the house. The drains are blocked and our things are ruined every year, but we never get relief because we rent."),
        DemoNeed("welfare-card-gap", "urban_poor", "100701", "welfare", (), 3, 1500,
            "ตกหล่นจากบัตรสวัสดิการแห่งรัฐ", "Left out of the state welfare card",
            "ลงทะเบียนออนไลน์ไม่เป็น ไม่มีสมาร์ตโฟน บางคนทะเบียนบ้านอยู่ต่างจังหวัด เลยไม่ได้บัตรสวัสดิการ ทั้งที่รายได้ไม่พอกิน",
            "We don't know how to register online and have no smartphone; some of us are registered in the provinces. So we have no welfare card, though we don't earn enough to eat."),
        DemoNeed("street-vendors", "urban_poor", "103901", "work_income", (), 3, 600,
            "หาบเร่แผงลอยถูกไล่ที่ขาย", "Street vendors pushed off their pitches",
            "เขตยกเลิกจุดผ่อนผันขายของบนทางเท้า พวกเราที่ขายข้าวแกงมาสิบกว่าปีไม่มีที่ขาย รายได้หายไปเกือบหมด",
            "The district cancelled the permitted vending spots on the pavement. Those of us who sold rice and curry there for over ten years have nowhere to sell, and almost all our income is gone."),
        DemoNeed("bang-khun-thian-erosion", "urban_poor", "102107", "fisheries", ("coastal", "storm"), 4, 400,
            "ทะเลกัดเซาะชายฝั่งบางขุนเทียน บ้านและบ่อกุ้งหายไป", "The sea is eating the Bang Khun Thian shore, taking homes and shrimp ponds",
            "ชายฝั่งหน้าบ้านถอยร่นเข้ามาทุกปี เสาไฟฟ้าและบ่อกุ้งจมอยู่ในทะเลแล้ว ชาวประมงต้องย้ายบ้านหนีน้ำมาแล้วสองครั้ง",
            "The shoreline moves inland every year; old power poles and shrimp ponds now stand in the sea. Fishing families have already moved house twice to escape the water."),
    ),
    drafts=(
        DemoDraft("ministry", "msdhs", "ร่างแนวทางคุ้มครองที่อยู่อาศัยและสวัสดิการของคนจนเมือง กรุงเทพมหานคร",
            "Draft guidelines to protect the housing and welfare of Bangkok's urban poor", (
            DemoClause("eviction-notice",
                "การรื้อย้ายชุมชนบนที่ดินของรัฐต้องแจ้งล่วงหน้าอย่างน้อย 180 วัน และจ่ายค่าขนย้ายครัวเรือนละ 20,000 บาท",
                "Removing a community from state land requires at least 180 days' notice and a moving allowance of 20,000 baht per household.",
                ("railway-eviction",), {"urban_poor": 0.2, "government": 0.85, "cso": 0.2}),
            DemoClause("cooling-centres",
                "เปิดศูนย์คลายร้อนในศูนย์บริการสาธารณสุขและศาลาชุมชนในวันที่ดัชนีความร้อนเกิน 41 องศาเซลเซียส และให้อาสาสมัครสาธารณสุขเยี่ยมผู้สูงอายุที่อยู่ลำพัง",
                "Open cooling centres in public health centres and community halls on days when the heat index exceeds 41°C, and have health volunteers visit elders living alone.",
                ("tin-roof-heat",), {"urban_poor": 0.9, "government": 0.88, "cso": 0.85}),
            DemoClause("welfare-outreach",
                "ส่งเจ้าหน้าที่ลงไปรับลงทะเบียนบัตรสวัสดิการแห่งรัฐในชุมชน รวมถึงผู้ที่มีชื่อในทะเบียนบ้านต่างจังหวัด",
                "Send staff into communities to register people for the state welfare card, including those whose house registration is in another province.",
                ("welfare-card-gap",), {"urban_poor": 0.88, "government": 0.8, "cso": 0.85}),
        )),
        DemoDraft("cso", "chumchonthai", "ข้อเสนอเครือข่ายคนจนเมือง: บ้านมั่นคงและชุมชนที่ปลอดภัยจากน้ำท่วมและความร้อน",
            "Urban poor network proposal: secure housing and communities safe from floods and heat", (
            DemoClause("secure-housing",
                "จัดที่ดินของรัฐให้ชุมชนที่ถูกรื้อย้ายเช่าระยะยาวในรัศมีไม่เกิน 5 กิโลเมตรจากที่เดิม และสร้างบ้านผ่านโครงการบ้านมั่นคงของสถาบันพัฒนาองค์กรชุมชน",
                "Lease state land long-term to displaced communities within 5 km of where they lived, and build homes through CODI's Baan Mankong programme.",
                ("railway-eviction",), {"urban_poor": 0.92, "government": 0.4, "cso": 0.9}),
            DemoClause("canal-drainage",
                "ลอกท่อและคูระบายน้ำในชุมชนริมคลองก่อนฤดูฝนทุกปีโดยให้ชุมชนร่วมตรวจงาน และให้ผู้เช่าบ้านได้เงินช่วยเหลือน้ำท่วมเท่ากับเจ้าของบ้าน",
                "Clear drains and ditches in canal-side communities before every rainy season, with the community checking the work, and give tenants the same flood relief as owners.",
                ("canal-flooding",), {"urban_poor": 0.85, "government": 0.62, "cso": 0.85}),
            DemoClause("shade-and-roofs",
                "ปลูกต้นไม้ให้ร่มเงาและเปลี่ยนหลังคาสังกะสีเป็นวัสดุกันความร้อนในชุมชนแออัด โดยให้ชุมชนเลือกจุดที่ร้อนที่สุดก่อน",
                "Plant shade trees and replace tin roofs with heat-resistant materials in crowded communities, letting residents choose the hottest spots first.",
                ("tin-roof-heat",), {"urban_poor": 0.8, "government": 0.7, "cso": 0.8}),
        )),
    ),
    comments=(
        DemoComment("ministry/eviction-notice", "urban_poor", "oppose",
            "เงินสองหมื่นบาทไม่พอค่าเช่าห้องสามเดือนด้วยซ้ำ สิ่งที่เราต้องการคือที่อยู่ใหม่ใกล้ที่ทำงาน ไม่ใช่ค่าขนย้าย",
            "Twenty thousand baht doesn't even cover three months' rent. What we need is a new home near our work, not a moving allowance."),
        DemoComment("cso/secure-housing", "government", "question",
            "ที่ดินของรัฐในรัศมีห้ากิโลเมตรมีจำกัด ถ้าไม่มีที่ว่าง จะใช้ที่ดินของหน่วยงานใด ควรมีทางเลือกสำรองด้วย",
            "State land within five kilometres is scarce. If none is free, whose land would be used? There should be a fallback option."),
        DemoComment("ministry/cooling-centres", "urban_poor", "amend",
            "ศูนย์คลายร้อนควรเปิดถึงสามทุ่ม เพราะห้องเช่าร้อนที่สุดตอนหัวค่ำ และคนทำงานกลับบ้านค่ำ",
            "Cooling centres should stay open until 9 p.m.: rented rooms are hottest in the early evening, and working people get home late."),
        DemoComment("cso/canal-drainage", "urban_poor", "support",
            "ผมเช่าบ้านอยู่ น้ำท่วมทุกปีแต่ไม่เคยได้เงินช่วยเหลือเลย ข้อนี้ตรงกับปัญหาของเรา",
            "I rent my house. It floods every year and I have never had any relief. This clause is exactly our problem."),
        DemoComment("ministry/welfare-outreach", "cso", "support",
            "เครือข่ายช่วยนัดวันและสถานที่ในชุมชนได้ ขอให้เจ้าหน้าที่มาช่วงเย็นหรือวันหยุด คนทำงานจะได้มาลงทะเบียน",
            "The network can arrange dates and places in the community. Please send staff in the evening or at weekends so working people can register."),
    ),
)

ROUNDS: tuple[DemoRound, ...] = (_SATUN, _RANONG, _PHANGNGA, _MAEHONGSON, _BANGKOK)
