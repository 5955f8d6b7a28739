// Writes a roster spreadsheet in the import template's columns with N new people, valid ID
// numbers (GB 11643) that the demo never generates (birth years 1950–1969 in region 650102),
// spread over the given branches. Usage: node make-roster.mjs OUT.xlsx N "branch 1" ["branch 2" …]
import ExcelJS from 'exceljs';

const [out, n, ...branches] = process.argv.slice(2);
const rows = Number(n);
if (!out || !rows || branches.length === 0) {
  console.error('usage: node make-roster.mjs OUT.xlsx N BRANCH...');
  process.exit(2);
}
const HEADER = ['姓名', '身份证号', '民族', '籍贯', '学历', '学位', '职称级别', '职称', '人员类别', '院系',
  '班级', '工号/学号', '联系电话', '政治面貌', '入党日期', '转正日期', '所在党支部', '所在党小组'];
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';
const pad = (v, w) => String(v).padStart(w, '0');

function nationalId(i) {
  // Each i gives its own (birth date, sequence): 20 years of days × 1000 sequences.
  const day = i % 7000;
  const seq = Math.floor(i / 7000) % 1000;
  const birth = new Date(Date.UTC(1950, 0, 1) + day * 86400000);
  const body = '650102' + birth.getUTCFullYear() + pad(birth.getUTCMonth() + 1, 2) +
    pad(birth.getUTCDate(), 2) + pad(seq, 3);
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += Number(body[k]) * W[k];
  return { id: body + CHECK[sum % 11], year: birth.getUTCFullYear() };
}

const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: false });
const sheet = book.addWorksheet('名册');
sheet.addRow(HEADER).commit();
for (let i = 0; i < rows; i++) {
  const { id, year } = nationalId(i);
  const name = SURNAMES[i % 20] + GIVEN[Math.floor(i / 20) % 20] + GIVEN[Math.floor(i / 400) % 20];
  const join = `${year + 25}-07-01`;
  const confirm = `${year + 26}-07-01`;
  sheet.addRow([name, id, '汉族', '新疆乌鲁木齐', '硕士研究生', '硕士', '中级', '讲师', '教职工', '', '',
    `B${pad(i, 7)}`, '', '正式党员', join, confirm, branches[i % branches.length], '']).commit();
}
await book.commit();
console.log(`${out}: ${rows} rows`);
