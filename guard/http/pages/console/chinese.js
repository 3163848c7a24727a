// Generated from guard/services/audits/encoding.py by `make docs` (guard/http/console_chinese.py): the characters
// that count as Chinese text when a file's encoding is told from its bytes. Do not edit by hand.
// FREQUENT: frequent characters and the commonest surnames, simplified and traditional; PUNCTUATION and
// FULL_WIDTH (code points, inclusive) count as Chinese too; ODD: blocks a wrong reading is full of.
export const FREQUENT = "一丁万三上下不与业东两严並个中为主么义之也了事二于些产人什从他付代以们件任会但位体何余作你併使來侯係保信個們做傢元先入內全兩公关其内再冯几出分刘別利别到制前劉力加务动動務化区區卢原去又及反发受变口只可史叶各合同名后向吕吳吴呂员周命和員唐問噹嚮嚴囌四回因国國在地场基報場声处夏外多大天太头她好如姚姜子孔存孙孟学孫學安宋定实客家實对将將對小少就尹崔工己已市常平年并幷幾应度廖建开张張彆当彭很後徐得從心必性总息您情想意感應成我或戴戶户所手才打把报指接提收敎教数數文新方於无日时明是時曏更曹曾最會月有期本朱机李杜条来杨東林果样梁條楊業樑樣機次欧款歐正此武段比毛民气氣水江汪沈沒没法活海潘瀋点為無然熊爲物特率王现現理生產産用田由电當發白的益盧目直相看眞真着知石硃种秦程種立第等箇管範系組結給統經總織繫纔组织经结给统罗羅義者而聲肖胡能自與苏范莫萬葉著董蒋蔡蔣薑薛蘇處行衕衚表袁被裏裡製要覃見见解計許話認說説論謝譚變计认许论话说谢谭財賀資賈賠财贺贾资赔走赵起趙身过还这进迴這通週進過道還邓那邱邵邹郑郝部郭都鄒鄧鄭里重量金鈡銀錢錶鍾鐘钟钱银長长門閆開間閤關门闫问间陆陈险陳陶陸險隻雷電面韋韓韦韩頭題顧顾题餘馬馮马體高髮鬍魏麪麫麵麼麽黃黄黎點齣龍龔龙龚";
export const PUNCTUATION = "，。、！？：；“”‘’（）《》「」『』…—·％";
export const FULL_WIDTH = [65281, 65374];
export const ODD = [[57344, 63743], [12544, 12591], [12704, 12735], [12352, 12543], [880, 1279], [9472, 9631], [8544, 8575], [65040, 65055], [65072, 65135], [688, 767], [13312, 19903], [63744, 64255], [131072, 262143], [8704, 8959], [9312, 9471], [12800, 13311]];
