/** Yinzhou's 22 townships and streets (镇街), as the district lists them. */
export const STREETS: readonly { name: string; short: string; town: boolean }[] = [
  ['中河街道', '中河'], ['首南街道', '首南'], ['福明街道', '福明'], ['白鹤街道', '白鹤'], ['百丈街道', '百丈'],
  ['东胜街道', '东胜'], ['明楼街道', '明楼'], ['东柳街道', '东柳'], ['东郊街道', '东郊'], ['潘火街道', '潘火'],
  ['钟公庙街道', '钟公庙'], ['下应街道', '下应'], ['梅墟街道', '梅墟'], ['邱隘镇', '邱隘'], ['五乡镇', '五乡'],
  ['咸祥镇', '咸祥'], ['塘溪镇', '塘溪'], ['瞻岐镇', '瞻岐'], ['东吴镇', '东吴'], ['云龙镇', '云龙'],
  ['横溪镇', '横溪'], ['姜山镇', '姜山'],
].map(([name, short]) => ({ name, short, town: name.endsWith('镇') }));

/** Two-character place names are built from these, the way Ningbo's communities and compounds are named. */
export const NAME_HEADS = ['东', '西', '南', '北', '新', '锦', '华', '明', '春', '惠', '和', '安', '长', '丰', '瑞', '嘉', '康', '富', '兴', '盛', '泰', '宁', '祥', '福', '金', '银', '桂', '兰', '湖', '江'] as const;
export const NAME_TAILS = ['苑', '园', '湾', '城', '庭', '景', '都', '庄', '桥', '塘', '港', '山', '河', '林', '溪', '光', '晖', '裕', '家', '庐'] as const;
export const COMPOUND_SUFFIXES = ['花园', '小区', '公寓', '家园', '新村', '府', '名邸', '雅苑'] as const;

export const DEPARTMENTS = [
  '鄞州区综合行政执法局', '鄞州区住房和城乡建设局', '鄞州区市场监督管理局', '宁波市生态环境局鄞州分局',
  '鄞州区教育局', '鄞州区卫生健康局', '鄞州区商务局', '鄞州区机关事务管理局', '鄞州区农业农村局',
  '宁波市公安局鄞州分局', '鄞州区交通运输局', '鄞州区文化和广电旅游体育局',
] as const;

export const MEDIA = ['鄞州日报社', '鄞州区融媒体中心', '宁波晚报社', '宁波广播电视集团'] as const;

export const SCHOOL_KINDS = ['实验小学', '中心小学', '初级中学', '幼儿园', '中学'] as const;

export const EMPLOYER_WORDS = ['恒达', '华光', '瑞丰', '金桥', '东方', '甬新', '海天', '中盛', '宏远', '博创', '永信', '天和', '新程', '立达', '信诚', '众联', '远帆', '宁泰'] as const;
export const EMPLOYER_TRADES = ['电子科技有限公司', '机械制造有限公司', '贸易有限公司', '服饰有限公司', '软件有限公司', '建设工程有限公司', '食品有限公司', '物流有限公司', '医药有限公司', '文化传媒有限公司'] as const;

/** Surnames and given names of the demo people (residents, party members, secretaries), combined in SQL by hash. */
export const PERSON_SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
export const PERSON_GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '文', '华', '红', '玲', '浩', '宇', '欣怡', '子涵', '梓轩', '雨桐', '俊杰', '海燕', '国强', '志明', '晓东', '丹', '亮'] as const;

/** Leaders of the district's four leadership bodies (区四套班子), invented: [body, title]. */
export const LEADER_TITLES: readonly [string, string][] = [
  ['PARTY_COMMITTEE', '区委书记'], ['PARTY_COMMITTEE', '区委副书记'], ['PARTY_COMMITTEE', '区委常委、组织部部长'],
  ['PARTY_COMMITTEE', '区委常委、宣传部部长'], ['PEOPLES_CONGRESS', '区人大常委会主任'], ['PEOPLES_CONGRESS', '区人大常委会副主任'],
  ['PEOPLES_CONGRESS', '区人大常委会副主任'], ['GOVERNMENT', '区长'], ['GOVERNMENT', '常务副区长'], ['GOVERNMENT', '副区长'],
  ['CPPCC', '区政协主席'], ['CPPCC', '区政协副主席'],
];
