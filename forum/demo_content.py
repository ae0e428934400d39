"""Texts of the demo: two cohorts, their boards, threads and replies (Markdown).

The cases are teaching material made anonymous ("某市"); figures quoted from national
documents are the documents' own targets. No post links outside the server.
"""

MAYORS = {
    "slug": "mayors-45",
    "name": "第45期市长研究班",
    "kind": "national",
    "year": 2026,
    "language": "zh",
    "description": "面向地级市市长、副市长的专题研究班，聚焦城市规划建设管理与城市治理现代化。",
    "members": {
        "zhangming": "instructor",
        "chenjing": "instructor",
        "wangqiang": "trainee",
        "liuyang": "trainee",
        "zhaomin": "trainee",
        "sunli": "trainee",
    },
    "boards": [
        {
            "name": "案例讨论",
            "description": "围绕教学案例展开讨论。学员可选择对同学匿名发言，教师仍可见署名。",
            "anonymous_allowed": True,
            "threads": [
                {
                    "author": "zhangming",
                    "pinned": "zhangming",
                    "kind": "case",
                    "title": "【教学案例】老旧小区改造中的居民协商：从“要我改”到“我要改”",
                    "body": (
                        "本案例取材于东部某地级市近三年的城镇老旧小区改造实践，已作匿名化处理。\n\n"
                        "## 背景\n\n"
                        "- 改造对象为 2000 年底前建成、失养失修失管的住宅小区；\n"
                        "- 改造内容分为**基础类、完善类、提升类**三类；\n"
                        "- 加装电梯、停车位和养老托育设施是居民意见最集中的三项；\n"
                        "- 资金来自中央补助、地方财政、专营单位出资和居民自筹。\n\n"
                        "## 讨论问题\n\n"
                        "1. 低层住户反对加装电梯时，街道和社区可以采取哪些协商办法？\n"
                        "2. 居民出资比例如何确定才算公平？\n"
                        "3. 改造完成后的长效管理由谁负责？\n\n"
                        "> 请结合本市实际发言，篇幅不限，周四课上选取部分发言点评。"
                    ),
                    "replies": [
                        {
                            "author": "wangqiang",
                            "body": (
                                "我市的做法是**“一楼一策”**：\n\n"
                                "1. 先由社区组织单元议事会，把方案、费用分摊和施工周期讲清楚；\n"
                                "2. 低层住户的采光、噪声补偿写进协议；\n"
                                "3. 同意率达到法定比例后再报审，街道全程跟进。\n\n"
                                "去年全市加装电梯 300 多部，纠纷大多出在第一步沟通不充分。"
                            ),
                        },
                        {
                            "author": "zhaomin",
                            "anonymous": True,
                            "body": (
                                "说句实话，有些项目的“居民参与”流于形式：方案已经定了才开会征求意见，"
                                "居民自然觉得是“要我改”。建议把意见征集放在设计之前，而不是施工之前。"
                            ),
                        },
                        {
                            "author": "chenjing",
                            "reply_to": 3,
                            "body": (
                                "这一点很重要。协商的时点决定了协商的质量：**设计前问需于民**，"
                                "设计中问计于民，完工后问效于民。请大家课上再谈谈各自城市在哪个环节最薄弱。"
                            ),
                        },
                        {
                            "author": "liuyang",
                            "body": (
                                "关于长效管理，我们试点了“先尝后买”的物业服务：改造后由国有物业公司托管一年，"
                                "一年后由业主大会决定是否续聘。目前试点小区的物业费收缴率在八成以上。"
                            ),
                        },
                    ],
                },
                {
                    "author": "wangqiang",
                    "kind": "case",
                    "title": "海绵城市建设：试点结束后如何全域推进？",
                    "body": (
                        "2015 年起国家先后开展两批海绵城市建设试点。按照国务院办公厅的指导意见，"
                        "到 2020 年城市建成区 20% 以上的面积要达到目标要求，到 2030 年达到 80% 以上，"
                        "即将 70% 的降雨就地消纳和利用。\n\n"
                        "我市试点片区效果不错，但推向全域时遇到三个难题：\n\n"
                        "- 老城区地下管网复杂，**改造空间有限**；\n"
                        "- 透水铺装、下沉式绿地的**养护资金**没有固定来源；\n"
                        "- 各部门项目各自为政，源头减排、管网排放和排涝除险难以统筹。\n\n"
                        "想听听各位市长的做法。"
                    ),
                    "replies": [
                        {
                            "author": "sunli",
                            "body": (
                                "我们把海绵城市指标写进了规划条件：新建项目在土地出让时就明确年径流总量控制率，"
                                "由建设单位同步建设，老城区则结合道路大修和老旧小区改造逐步推进，不单独立项。"
                            ),
                        },
                        {
                            "author": "zhangming",
                            "body": (
                                "补充一点：海绵城市不是“透水砖工程”。建议从**流域**出发，"
                                "把城市水系、绿地和排水管网作为一个系统评估，先解决易涝点，再谈全域达标。"
                            ),
                        },
                        {
                            "author": "liuyang",
                            "reply_to": 1,
                            "body": "养护资金方面，我市按设施面积把养护费纳入市政养护定额，由区级财政列支。",
                        },
                    ],
                },
            ],
        },
        {
            "name": "专题研究",
            "description": "课题组研究成果交流，欢迎附上数据和参考文献。",
            "threads": [
                {
                    "author": "zhangming",
                    "kind": "research",
                    "title": "课题：城市总体规划与国土空间规划的衔接",
                    "body": (
                        "“多规合一”改革以后，原城市总体规划纳入国土空间规划体系。"
                        "本课题组请大家梳理本市在规划衔接中的做法，先看一个对比：\n\n"
                        "| 维度 | 原城市总体规划 | 市级国土空间总体规划 |\n"
                        "| --- | --- | --- |\n"
                        "| 范围 | 以城市规划区为主 | 全域全要素 |\n"
                        "| 核心管控 | 建设用地规模、城市开发边界 | 生态保护红线、永久基本农田、城镇开发边界 |\n"
                        "| 实施监督 | 定期评估 | “一年一体检、五年一评估” |\n\n"
                        "请各组在下周三前提交提纲。"
                    ),
                    "replies": [
                        {
                            "author": "zhaomin",
                            "body": (
                                "我们组关注**详细规划**这一层：总体规划定了边界和指标，"
                                "但控规调整仍然频繁。我们打算统计本市近五年的控规修改次数和原因。"
                            ),
                        },
                        {
                            "author": "wangqiang",
                            "body": "建议再加一列“审批层级”，各市在下放审批权限上的差别很大。",
                        },
                    ],
                },
                {
                    "author": "liuyang",
                    "kind": "research",
                    "title": "城市更新中的历史街区保护与活化利用（调研提纲征求意见）",
                    "body": (
                        "调研提纲初稿如下，请老师和同学们提意见：\n\n"
                        "1. 本市城市更新项目中涉及历史街区的数量和类型；\n"
                        "2. 如何落实**防止大拆大建**的要求，守住历史文化底线；\n"
                        "3. 原住民留住率、业态更替和游客承载的关系；\n"
                        "4. 保护资金与运营收益能否平衡。\n\n"
                        "计划访谈对象：住建、自然资源、文旅部门和两个街道。"
                    ),
                    "replies": [
                        {
                            "author": "chenjing",
                            "body": (
                                "提纲清楚。第 3 条建议细化为可测量的指标，例如*原住民留住率*、"
                                "*租金变化*和*小微商户存续率*，否则访谈结果难以比较。"
                            ),
                        },
                        {
                            "author": "sunli",
                            "body": "我市的老城片区可以作为对照样本，欢迎来调研。",
                        },
                    ],
                },
            ],
        },
        {
            "name": "答疑",
            "description": "向教师提问，教师课后集中答复。",
            "threads": [
                {
                    "author": "sunli",
                    "kind": "question",
                    "title": "请问：城市体检的指标如何转化为年度更新项目？",
                    "body": (
                        "我市去年完成了城市体检，报告指出了停车、社区养老和内涝等短板，"
                        "但体检结论和年度城市更新计划之间总是“两张皮”。请问老师，有没有成熟的衔接办法？"
                    ),
                    "replies": [
                        {
                            "author": "zhangming",
                            "body": (
                                "可以试试“**问题清单—项目清单—责任清单**”的做法：\n\n"
                                "1. 体检问题按街区落图，形成问题清单；\n"
                                "2. 每个问题对应一个或几个项目，纳入年度计划；\n"
                                "3. 明确牵头部门和完成时限，下一年体检时复核。\n\n"
                                "关键是体检的空间单元要和项目的实施单元一致。"
                            ),
                        },
                        {
                            "author": "sunli",
                            "reply_to": 2,
                            "body": "明白了，我们的体检是按行政区统计的，颗粒度太粗，回去先调整到街区一级。谢谢老师！",
                        },
                    ],
                },
                {
                    "author": "zhaomin",
                    "kind": "question",
                    "title": "智慧城市平台建设中，数据共享的责任边界怎么划分？",
                    "body": (
                        "我市正在建设城市运行管理平台，各部门都愿意“拿数据”，不愿意“给数据”。"
                        "数据出了问题，责任在提供部门还是平台运营单位？"
                    ),
                    "replies": [
                        {
                            "author": "chenjing",
                            "body": (
                                "一般原则是**谁提供、谁负责数据质量；谁使用、谁负责使用合规**。"
                                "建议以目录管理为抓手：先编制数据共享目录，明确每项数据的责任部门、"
                                "更新频率和共享方式，再谈平台功能。"
                            ),
                        },
                    ],
                },
            ],
        },
    ],
}

SEMINAR = {
    "slug": "urban-governance-2026",
    "name": "2026 International Urban Governance Seminar",
    "kind": "foreign",
    "year": 2026,
    "language": "en",
    "description": (
        "A four-week seminar for city officials from partner countries: planning, "
        "infrastructure, public services and urban resilience."
    ),
    "members": {
        "sarah.miller": "instructor",
        "zhangming": "instructor",
        "amara.okafor": "trainee",
        "lucas.silva": "trainee",
        "nguyen.lan": "trainee",
    },
    "boards": [
        {
            "name": "General Discussion",
            "description": "Introductions, course logistics and open discussion.",
            "threads": [
                {
                    "author": "sarah.miller",
                    "pinned": "sarah.miller",
                    "kind": "discussion",
                    "title": "Welcome: introductions and how we use this forum",
                    "body": (
                        "Welcome to the seminar! Please introduce yourself in a reply:\n\n"
                        "- your city and your role;\n"
                        "- one urban problem you are working on right now;\n"
                        "- what you hope to take home from these four weeks.\n\n"
                        "Case discussions happen in **Case Studies**; questions for the "
                        "instructors go to **Questions for Instructors**."
                    ),
                    "replies": [
                        {
                            "author": "amara.okafor",
                            "body": (
                                "Hello everyone, I am Amara, from the physical planning department of "
                                "a coastal city in Nigeria. Our main problem is **flooding** in fast-growing "
                                "informal settlements. I hope to learn how Chinese cities plan drainage at scale."
                            ),
                        },
                        {
                            "author": "lucas.silva",
                            "body": (
                                "Hi, Lucas from Brazil, deputy secretary for urban mobility. "
                                "We run a bus rapid transit network and are looking at data platforms "
                                "for traffic management."
                            ),
                        },
                        {
                            "author": "nguyen.lan",
                            "body": (
                                "Xin chào! Lan, from a city in central Vietnam. I work on typhoon "
                                "preparedness and would like to compare approaches to urban resilience."
                            ),
                        },
                    ],
                },
                {
                    "author": "nguyen.lan",
                    "kind": "research",
                    "title": "Measuring urban resilience: which indicators actually help decisions?",
                    "body": (
                        "Our city has a resilience strategy with more than 60 indicators, "
                        "but the council rarely uses them. For our group paper I would like to "
                        "compare short lists. What would you keep?\n\n"
                        "| Dimension | Candidate indicator |\n"
                        "| --- | --- |\n"
                        "| Exposure | Share of homes in flood-prone zones |\n"
                        "| Infrastructure | Hours to restore power after a storm |\n"
                        "| Social | Households reached by early warnings |\n"
                    ),
                    "replies": [
                        {
                            "author": "sarah.miller",
                            "body": (
                                "A good test for each indicator: *which budget decision would change "
                                "if this number moved?* If none, drop it. Recovery time is usually "
                                "the most persuasive one for councils."
                            ),
                        },
                        {
                            "author": "amara.okafor",
                            "body": "I would add the share of drainage channels cleared before the rainy season.",
                        },
                    ],
                },
            ],
        },
        {
            "name": "Case Studies",
            "description": "One case a week; read the brief before the session.",
            "threads": [
                {
                    "author": "sarah.miller",
                    "kind": "case",
                    "title": "Case: Rotterdam's water squares, climate adaptation in public space",
                    "body": (
                        "Rotterdam's water squares are public squares that store rainwater "
                        "during heavy storms and are playgrounds and meeting places the rest "
                        "of the time.\n\n"
                        "## Questions\n\n"
                        "1. What made residents accept a square that floods on purpose?\n"
                        "2. Who maintains such dual-use spaces, and who pays?\n"
                        "3. How would you adapt the idea to a city with a monsoon climate?"
                    ),
                    "replies": [
                        {
                            "author": "zhangming",
                            "body": (
                                "The idea is close to China's **sponge city** programme: absorb, "
                                "store and reuse rainwater where it falls instead of piping it away. "
                                "Our lesson is that the squares work only as part of a catchment-wide plan."
                            ),
                        },
                        {
                            "author": "amara.okafor",
                            "body": (
                                "For us, question 2 is the hard one. Drainage channels fill with waste "
                                "within weeks, so any storage space needs a maintenance contract from day one."
                            ),
                        },
                        {
                            "author": "lucas.silva",
                            "reply_to": 3,
                            "body": "Agreed. Could maintenance be tied to the waste-collection contracts we already have?",
                        },
                    ],
                },
                {
                    "author": "zhangming",
                    "kind": "case",
                    "title": "Case: a 'city brain' for traffic management, what transfers?",
                    "body": (
                        "Several Chinese cities have built **smart city** platforms that combine "
                        "traffic cameras, signal control and emergency dispatch. Reported gains "
                        "come mainly from adaptive signal timing and faster incident response.\n\n"
                        "Before the session, think about:\n\n"
                        "- which data your city already owns;\n"
                        "- which agency would run such a platform;\n"
                        "- how privacy is protected."
                    ),
                    "replies": [
                        {
                            "author": "lucas.silva",
                            "body": (
                                "Our BRT already has GPS on every bus, so we could start with "
                                "`bus priority` at signals before any city-wide platform."
                            ),
                        },
                        {
                            "author": "nguyen.lan",
                            "body": "Privacy rules are my main concern: who may keep camera footage, and for how long?",
                        },
                    ],
                },
            ],
        },
        {
            "name": "Questions for Instructors",
            "description": "Ask the instructors; they answer after each session.",
            "threads": [
                {
                    "author": "amara.okafor",
                    "kind": "question",
                    "title": "How are 15-minute community life circles planned in Chinese cities?",
                    "body": (
                        "In the site visit we heard about the *15-minute community life circle*. "
                        "How is it defined in the planning standards, and who decides which "
                        "facilities go into each circle?"
                    ),
                    "replies": [
                        {
                            "author": "zhangming",
                            "body": (
                                "The national standard for residential area planning defines "
                                "**15-, 10- and 5-minute** walking circles, each with its own facilities: "
                                "schools and clinics at 15 minutes, kindergartens and markets at 10, "
                                "daily services at 5. District governments decide the list with residents' "
                                "committees, based on a survey of what each neighbourhood lacks."
                            ),
                        },
                        {
                            "author": "amara.okafor",
                            "reply_to": 2,
                            "body": "Thank you. So the survey comes first, then the facility list. Very useful.",
                        },
                    ],
                },
            ],
        },
    ],
}

COHORTS = [MAYORS, SEMINAR]
