// ISO 3166-1 countries: alpha-3, numeric and English names, generated from the Debian
// iso-codes package's iso_3166-1.json (the codes and names are ISO 3166-1's), plus the
// spellings UCDP GED and ACLED use that ISO does not ("DR Congo (Zaire)", "Russia (Soviet
// Union)", "Ivory Coast", "Kosovo"). Source files name a country by alpha-3 (UCDP iso3), by
// ISO numeric (ACLED iso) or by name; all three resolve here.

const ISO_3166_1 = `
ABW|533|Aruba
AFG|004|Afghanistan|Islamic Republic of Afghanistan
AGO|024|Angola|Republic of Angola
AIA|660|Anguilla
ALA|248|Åland Islands
ALB|008|Albania|Republic of Albania
AND|020|Andorra|Principality of Andorra
ARE|784|United Arab Emirates
ARG|032|Argentina|Argentine Republic
ARM|051|Armenia|Republic of Armenia
ASM|016|American Samoa
ATA|010|Antarctica
ATF|260|French Southern Territories
ATG|028|Antigua and Barbuda
AUS|036|Australia
AUT|040|Austria|Republic of Austria
AZE|031|Azerbaijan|Republic of Azerbaijan
BDI|108|Burundi|Republic of Burundi
BEL|056|Belgium|Kingdom of Belgium
BEN|204|Benin|Republic of Benin
BES|535|Bonaire, Sint Eustatius and Saba
BFA|854|Burkina Faso
BGD|050|Bangladesh|People's Republic of Bangladesh
BGR|100|Bulgaria|Republic of Bulgaria
BHR|048|Bahrain|Kingdom of Bahrain
BHS|044|Bahamas|Commonwealth of the Bahamas
BIH|070|Bosnia and Herzegovina|Republic of Bosnia and Herzegovina
BLM|652|Saint Barthélemy
BLR|112|Belarus|Republic of Belarus
BLZ|084|Belize
BMU|060|Bermuda
BOL|068|Bolivia, Plurinational State of|Bolivia|Plurinational State of Bolivia
BRA|076|Brazil|Federative Republic of Brazil
BRB|052|Barbados
BRN|096|Brunei Darussalam
BTN|064|Bhutan|Kingdom of Bhutan
BVT|074|Bouvet Island
BWA|072|Botswana|Republic of Botswana
CAF|140|Central African Republic
CAN|124|Canada
CCK|166|Cocos (Keeling) Islands
CHE|756|Switzerland|Swiss Confederation
CHL|152|Chile|Republic of Chile
CHN|156|China|People's Republic of China
CIV|384|Côte d'Ivoire|Republic of Côte d'Ivoire
CMR|120|Cameroon|Republic of Cameroon
COD|180|Congo, The Democratic Republic of the
COG|178|Congo|Republic of the Congo
COK|184|Cook Islands
COL|170|Colombia|Republic of Colombia
COM|174|Comoros|Union of the Comoros
CPV|132|Cabo Verde|Republic of Cabo Verde
CRI|188|Costa Rica|Republic of Costa Rica
CUB|192|Cuba|Republic of Cuba
CUW|531|Curaçao
CXR|162|Christmas Island
CYM|136|Cayman Islands
CYP|196|Cyprus|Republic of Cyprus
CZE|203|Czechia|Czech Republic
DEU|276|Germany|Federal Republic of Germany
DJI|262|Djibouti|Republic of Djibouti
DMA|212|Dominica|Commonwealth of Dominica
DNK|208|Denmark|Kingdom of Denmark
DOM|214|Dominican Republic
DZA|012|Algeria|People's Democratic Republic of Algeria
ECU|218|Ecuador|Republic of Ecuador
EGY|818|Egypt|Arab Republic of Egypt
ERI|232|Eritrea|the State of Eritrea
ESH|732|Western Sahara
ESP|724|Spain|Kingdom of Spain
EST|233|Estonia|Republic of Estonia
ETH|231|Ethiopia|Federal Democratic Republic of Ethiopia
FIN|246|Finland|Republic of Finland
FJI|242|Fiji|Republic of Fiji
FLK|238|Falkland Islands (Malvinas)
FRA|250|France|French Republic
FRO|234|Faroe Islands
FSM|583|Micronesia, Federated States of|Federated States of Micronesia
GAB|266|Gabon|Gabonese Republic
GBR|826|United Kingdom|United Kingdom of Great Britain and Northern Ireland
GEO|268|Georgia
GGY|831|Guernsey
GHA|288|Ghana|Republic of Ghana
GIB|292|Gibraltar
GIN|324|Guinea|Republic of Guinea
GLP|312|Guadeloupe
GMB|270|Gambia|Republic of the Gambia
GNB|624|Guinea-Bissau|Republic of Guinea-Bissau
GNQ|226|Equatorial Guinea|Republic of Equatorial Guinea
GRC|300|Greece|Hellenic Republic
GRD|308|Grenada
GRL|304|Greenland
GTM|320|Guatemala|Republic of Guatemala
GUF|254|French Guiana
GUM|316|Guam
GUY|328|Guyana|Republic of Guyana
HKG|344|Hong Kong|Hong Kong Special Administrative Region of China
HMD|334|Heard Island and McDonald Islands
HND|340|Honduras|Republic of Honduras
HRV|191|Croatia|Republic of Croatia
HTI|332|Haiti|Republic of Haiti
HUN|348|Hungary
IDN|360|Indonesia|Republic of Indonesia
IMN|833|Isle of Man
IND|356|India|Republic of India
IOT|086|British Indian Ocean Territory
IRL|372|Ireland
IRN|364|Iran, Islamic Republic of|Iran|Islamic Republic of Iran
IRQ|368|Iraq|Republic of Iraq
ISL|352|Iceland|Republic of Iceland
ISR|376|Israel|State of Israel
ITA|380|Italy|Italian Republic
JAM|388|Jamaica
JEY|832|Jersey
JOR|400|Jordan|Hashemite Kingdom of Jordan
JPN|392|Japan
KAZ|398|Kazakhstan|Republic of Kazakhstan
KEN|404|Kenya|Republic of Kenya
KGZ|417|Kyrgyzstan|Kyrgyz Republic
KHM|116|Cambodia|Kingdom of Cambodia
KIR|296|Kiribati|Republic of Kiribati
KNA|659|Saint Kitts and Nevis
KOR|410|Korea, Republic of|South Korea
KWT|414|Kuwait|State of Kuwait
LAO|418|Lao People's Democratic Republic|Laos
LBN|422|Lebanon|Lebanese Republic
LBR|430|Liberia|Republic of Liberia
LBY|434|Libya
LCA|662|Saint Lucia
LIE|438|Liechtenstein|Principality of Liechtenstein
LKA|144|Sri Lanka|Democratic Socialist Republic of Sri Lanka
LSO|426|Lesotho|Kingdom of Lesotho
LTU|440|Lithuania|Republic of Lithuania
LUX|442|Luxembourg|Grand Duchy of Luxembourg
LVA|428|Latvia|Republic of Latvia
MAC|446|Macao|Macao Special Administrative Region of China
MAF|663|Saint Martin (French part)
MAR|504|Morocco|Kingdom of Morocco
MCO|492|Monaco|Principality of Monaco
MDA|498|Moldova, Republic of|Moldova|Republic of Moldova
MDG|450|Madagascar|Republic of Madagascar
MDV|462|Maldives|Republic of Maldives
MEX|484|Mexico|United Mexican States
MHL|584|Marshall Islands|Republic of the Marshall Islands
MKD|807|North Macedonia|Republic of North Macedonia
MLI|466|Mali|Republic of Mali
MLT|470|Malta|Republic of Malta
MMR|104|Myanmar|Republic of Myanmar
MNE|499|Montenegro
MNG|496|Mongolia
MNP|580|Northern Mariana Islands|Commonwealth of the Northern Mariana Islands
MOZ|508|Mozambique|Republic of Mozambique
MRT|478|Mauritania|Islamic Republic of Mauritania
MSR|500|Montserrat
MTQ|474|Martinique
MUS|480|Mauritius|Republic of Mauritius
MWI|454|Malawi|Republic of Malawi
MYS|458|Malaysia
MYT|175|Mayotte
NAM|516|Namibia|Republic of Namibia
NCL|540|New Caledonia
NER|562|Niger|Republic of the Niger
NFK|574|Norfolk Island
NGA|566|Nigeria|Federal Republic of Nigeria
NIC|558|Nicaragua|Republic of Nicaragua
NIU|570|Niue
NLD|528|Netherlands|Kingdom of the Netherlands
NOR|578|Norway|Kingdom of Norway
NPL|524|Nepal|Federal Democratic Republic of Nepal
NRU|520|Nauru|Republic of Nauru
NZL|554|New Zealand
OMN|512|Oman|Sultanate of Oman
PAK|586|Pakistan|Islamic Republic of Pakistan
PAN|591|Panama|Republic of Panama
PCN|612|Pitcairn
PER|604|Peru|Republic of Peru
PHL|608|Philippines|Republic of the Philippines
PLW|585|Palau|Republic of Palau
PNG|598|Papua New Guinea|Independent State of Papua New Guinea
POL|616|Poland|Republic of Poland
PRI|630|Puerto Rico
PRK|408|Korea, Democratic People's Republic of|North Korea|Democratic People's Republic of Korea
PRT|620|Portugal|Portuguese Republic
PRY|600|Paraguay|Republic of Paraguay
PSE|275|Palestine, State of|the State of Palestine
PYF|258|French Polynesia
QAT|634|Qatar|State of Qatar
REU|638|Réunion
ROU|642|Romania
RUS|643|Russian Federation
RWA|646|Rwanda|Rwandese Republic
SAU|682|Saudi Arabia|Kingdom of Saudi Arabia
SDN|729|Sudan|Republic of the Sudan
SEN|686|Senegal|Republic of Senegal
SGP|702|Singapore|Republic of Singapore
SGS|239|South Georgia and the South Sandwich Islands
SHN|654|Saint Helena, Ascension and Tristan da Cunha
SJM|744|Svalbard and Jan Mayen
SLB|090|Solomon Islands
SLE|694|Sierra Leone|Republic of Sierra Leone
SLV|222|El Salvador|Republic of El Salvador
SMR|674|San Marino|Republic of San Marino
SOM|706|Somalia|Federal Republic of Somalia
SPM|666|Saint Pierre and Miquelon
SRB|688|Serbia|Republic of Serbia
SSD|728|South Sudan|Republic of South Sudan
STP|678|Sao Tome and Principe|Democratic Republic of Sao Tome and Principe
SUR|740|Suriname|Republic of Suriname
SVK|703|Slovakia|Slovak Republic
SVN|705|Slovenia|Republic of Slovenia
SWE|752|Sweden|Kingdom of Sweden
SWZ|748|Eswatini|Kingdom of Eswatini
SXM|534|Sint Maarten (Dutch part)
SYC|690|Seychelles|Republic of Seychelles
SYR|760|Syrian Arab Republic|Syria
TCA|796|Turks and Caicos Islands
TCD|148|Chad|Republic of Chad
TGO|768|Togo|Togolese Republic
THA|764|Thailand|Kingdom of Thailand
TJK|762|Tajikistan|Republic of Tajikistan
TKL|772|Tokelau
TKM|795|Turkmenistan
TLS|626|Timor-Leste|Democratic Republic of Timor-Leste
TON|776|Tonga|Kingdom of Tonga
TTO|780|Trinidad and Tobago|Republic of Trinidad and Tobago
TUN|788|Tunisia|Republic of Tunisia
TUR|792|Türkiye|Republic of Türkiye
TUV|798|Tuvalu
TWN|158|Taiwan, Province of China|Taiwan
TZA|834|Tanzania, United Republic of|Tanzania|United Republic of Tanzania
UGA|800|Uganda|Republic of Uganda
UKR|804|Ukraine
UMI|581|United States Minor Outlying Islands
URY|858|Uruguay|Eastern Republic of Uruguay
USA|840|United States|United States of America
UZB|860|Uzbekistan|Republic of Uzbekistan
VAT|336|Holy See (Vatican City State)
VCT|670|Saint Vincent and the Grenadines
VEN|862|Venezuela, Bolivarian Republic of|Venezuela|Bolivarian Republic of Venezuela
VGB|092|Virgin Islands, British|British Virgin Islands
VIR|850|Virgin Islands, U.S.|Virgin Islands of the United States
VNM|704|Viet Nam|Vietnam|Socialist Republic of Viet Nam
VUT|548|Vanuatu|Republic of Vanuatu
WLF|876|Wallis and Futuna
WSM|882|Samoa|Independent State of Samoa
YEM|887|Yemen|Republic of Yemen
ZAF|710|South Africa|Republic of South Africa
ZMB|894|Zambia|Republic of Zambia
ZWE|716|Zimbabwe|Republic of Zimbabwe
`;

/** Names the sources use that ISO 3166-1 does not list (normalised as `countryKey` does). */
const EXTRA_NAMES: Record<string, string> = {
  'dr congo': 'COD',
  'drc': 'COD',
  'democratic republic of congo': 'COD',
  'democratic republic of the congo': 'COD',
  zaire: 'COD',
  'republic of congo': 'COG',
  russia: 'RUS',
  'soviet union': 'RUS',
  'ivory coast': 'CIV',
  'bosnia herzegovina': 'BIH',
  'macedonia fyr': 'MKD',
  macedonia: 'MKD',
  swaziland: 'SWZ',
  'kingdom of eswatini': 'SWZ',
  burma: 'MMR',
  kampuchea: 'KHM',
  yugoslavia: 'SRB',
  'serbia and montenegro': 'SRB',
  'north yemen': 'YEM',
  'south yemen': 'YEM',
  iran: 'IRN',
  turkey: 'TUR',
  'united states of america': 'USA',
  usa: 'USA',
  uk: 'GBR',
  'czech republic': 'CZE',
  'cape verde': 'CPV',
  'east timor': 'TLS',
  palestine: 'PSE',
  brunei: 'BRN',
  'the gambia': 'GMB',
  kosovo: 'XKX',
  'vatican city': 'VAT',
  'eswatini': 'SWZ',
};

/** Numeric codes outside ISO 3166-1 that ACLED uses. */
const EXTRA_NUMERIC: Record<string, string> = { '0': 'XKX' };

/** Lower case, no diacritics, "&" as "and", punctuation as spaces. */
export function countryKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface CountryIndex {
  readonly byName: Map<string, string>;
  readonly byNumeric: Map<string, string>;
  readonly names: Map<string, string>;
  readonly numericOf: Map<string, string>;
}

let index: CountryIndex | null = null;

function countries(): CountryIndex {
  if (index) return index;
  const byName = new Map<string, string>();
  const byNumeric = new Map<string, string>();
  const names = new Map<string, string>();
  const numericOf = new Map<string, string>();
  for (const line of ISO_3166_1.split('\n')) {
    if (line === '') continue;
    const [alpha3, numeric, ...list] = line.split('|') as [string, string, ...string[]];
    byNumeric.set(String(Number(numeric)), alpha3);
    numericOf.set(alpha3, numeric);
    names.set(alpha3, list[list.length > 1 && list[0]!.includes(',') ? 1 : 0]!);
    for (const n of list) byName.set(countryKey(n), alpha3);
  }
  for (const [n, a] of Object.entries(EXTRA_NAMES)) byName.set(countryKey(n), a);
  for (const [n, a] of Object.entries(EXTRA_NUMERIC)) byNumeric.set(n, a);
  names.set('XKX', 'Kosovo');
  return (index = { byName, byNumeric, names, numericOf });
}

/**
 * A country name as UCDP or ACLED write it, to alpha-3; null when unknown. UCDP adds former
 * names in parentheses ("Yemen (North Yemen)"): the name outside them is tried first.
 */
export function alpha3FromName(name: string): string | null {
  const { byName } = countries();
  const whole = byName.get(countryKey(name));
  if (whole) return whole;
  const m = /^(.*?)\s*\((.*)\)\s*$/.exec(name);
  if (m) return byName.get(countryKey(m[1]!)) ?? byName.get(countryKey(m[2]!)) ?? null;
  return null;
}

/** ISO 3166-1 numeric ("586", "4", "004") to alpha-3; null when unknown. */
export function alpha3FromNumeric(code: string): string | null {
  if (!/^\d{1,3}$/.test(code)) return null;
  return countries().byNumeric.get(String(Number(code))) ?? null;
}

export function isKnownAlpha3(code: string): boolean {
  return countries().numericOf.has(code) || code === 'XKX';
}

/** ISO numeric for an alpha-3 code, without leading zeros as ACLED writes it ("4" for AFG); '' when none. */
export function numericOf(alpha3: string): string {
  const n = countries().numericOf.get(alpha3);
  if (n) return String(Number(n));
  return alpha3 === 'XKX' ? '0' : '';
}

/** The short English name of a country ("Pakistan"); the code itself when unknown. */
export function countryName(alpha3: string): string {
  return countries().names.get(alpha3) ?? alpha3;
}
