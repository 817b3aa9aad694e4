"""The 13 rows of annex 2 of the 2022 Jiaxing notice, typed by hand from the published table.

This is the tests' oracle: blank (merged) cells are written out as the value above them, line
breaks inside cells are dropped, and the four-boundary text is verbatim (row 13's 己征收 typo kept).
"""

PUBLISHED_TOTAL_MU = "253.68"
PLAN_TITLE = "2022年嘉兴市级国有土地上房屋征收计划表"

JIACHENG = "嘉兴市嘉城城市更新建设有限公司"
NANHU_CITY = "嘉兴市南湖城市建设投资集团有限公司"
CITY_INVEST = "嘉兴市城市投资发展集团有限公司"
OLD_TOWN_RENEWAL = "旧城区改建"

# seq: (block, name, boundary_text, declared_area_mu, interest_type, implementing_unit)
ROWS = {
    1: (
        "城东板块",
        "虹桥新村地块",
        "东至原南湖法院围墙，南至勤俭路，西至春波坊，北至大新路",
        "42.84",
        OLD_TOWN_RENEWAL,
        JIACHENG,
    ),
    2: (
        "城东板块",
        "大新弄17号地块",
        "东至青龙街，南至大新路，西至秀水人家，北至秀水人家",
        "2.42",
        OLD_TOWN_RENEWAL,
        NANHU_CITY,
    ),
    3: (
        "中医院、电控厂板块",
        "1号地块",
        "东至兴波苑东侧边界，南至兴波苑南侧边界，西至兴波苑西侧边界，北至兴波苑北侧边界",
        "27.6",
        OLD_TOWN_RENEWAL,
        JIACHENG,
    ),
    4: (
        "中医院、电控厂板块",
        "2号地块",
        "东至秀洲区水利农机大楼东侧支路（含竹桥苑16幢、17幢、19幢）-竹桥街-竹桥苑西边界-602厂西边界-望秀苑东边界-紫薇花园西侧支路，南至竹桥港，西至越秀北路，北至洪兴路",
        "35.05",
        OLD_TOWN_RENEWAL,
        JIACHENG,
    ),
    5: (
        "城北板块",
        "2、3号地块",
        "东至百墅路，南至水系和百家公寓，西至中环路南侧绿地，北至城北路",
        "62.1",
        OLD_TOWN_RENEWAL,
        CITY_INVEST,
    ),
    6: (
        "城北板块",
        "4号地块",
        "东、南至不锈钢设备总厂，西至百墅路，北至城北路（城北路592号）",
        "2.6",
        OLD_TOWN_RENEWAL,
        CITY_INVEST,
    ),
    7: (
        "城北板块",
        "5号地块",
        "东、南至水系，西至百墅路和4号地块，北至城北路和4号地块",
        "53.4",
        OLD_TOWN_RENEWAL,
        CITY_INVEST,
    ),
    8: (
        "老城板块",
        "中和广场北地块",
        "东至过道，南至中和广场停车场，西至电力局宿舍4号楼，北至精严寺街",
        "1",
        OLD_TOWN_RENEWAL,
        CITY_INVEST,
    ),
    9: (
        "老城板块",
        "汤家弄菜场路地块",
        "东至汤家弄，南至金福公寓三幢，西至少年路，北至菜场弄",
        "2.86",
        OLD_TOWN_RENEWAL,
        CITY_INVEST,
    ),
    10: (
        "老城板块",
        "小西门横街秀宏集团地块",
        "嘉兴市环城西路23号一楼及仓库",
        "2.57",
        OLD_TOWN_RENEWAL,
        CITY_INVEST,
    ),
    11: (
        "老城板块",
        "嘉兴电影院地块",
        "东至人民剧院，南至竹篱弄，西至少年路已征收地块边界，北至勤俭路",
        "4.8",
        OLD_TOWN_RENEWAL,
        CITY_INVEST,
    ),
    12: (
        "南湖街道",
        "第二毛纺厂简易公房地块",
        "东至枫杨社区邻里中心围墙，南至围墙，西至泾水桥港，北至现状围墙",
        "1.44",
        OLD_TOWN_RENEWAL,
        JIACHENG,
    ),
    13: (
        "新兴街道",
        "齐心弄北侧地块",
        "东至文经路，南至齐心弄己征收地块，西至河流，北至文纬路",
        "15",
        OLD_TOWN_RENEWAL,
        NANHU_CITY,
    ),
}
