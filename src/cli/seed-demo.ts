import type { Actor } from '../domain/policy/actor.ts'
import { SYSTEM_ACTOR } from '../domain/policy/actor.ts'
import { AppError, invalidField } from '../domain/shared/app-error.ts'
import type { Channel, ServicePackage, Severity, StaffRole, Tier, TicketStatus, TicketType, VipLevel } from '../domain/tickets/ticket.ts'
import { TICKET_STATUSES } from '../domain/tickets/ticket.ts'
import type { TicketAction } from '../domain/tickets/ticket-state-machine.ts'
import type { ServiceDeps } from '../services/deps.ts'
import { createCategory } from '../services/directory/categories.ts'
import { createGroup } from '../services/directory/groups.ts'
import { createOrganisation, listOrganisations, updateOrganisation } from '../services/directory/organisations.ts'
import { type UserView, createUser } from '../services/people/users.ts'
import { addMessage } from '../services/tickets/add-message.ts'
import { createTicket } from '../services/tickets/create-ticket.ts'
import { transferTicket } from '../services/tickets/transfer-ticket.ts'
import { transitionTicket } from '../services/tickets/transition-ticket.ts'
import { updateTicket } from '../services/tickets/update-ticket.ts'

/** Password of every demo staff member and customer (printed in the summary). */
export const DEMO_PASSWORD = 'loopdesk-demo-2026'

/** The organisation whose presence marks an already seeded demo workspace. */
export const DEMO_MARKER_ORGANISATION = '华东智造科技有限公司'

/** Largest number of tickets one run may seed. */
export const MAX_DEMO_TICKETS = 10_000

const MARKER_NOTES = '演示数据 · Loopdesk demo workspace'
const COMPLETE_MARK = 'seed complete'
const SEED = 20_260_101
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Demo tickets arrive over this many days before now. */
const SPAN_DAYS = 60
/** The desk is in Shanghai (UTC+8, no daylight saving); the hotline is staffed 08:30–21:00. */
const DESK_OFFSET_HOURS = 8
const DESK_HOURS = { from: 8 * 60 + 30, to: 21 * 60 } as const
const CUSTOMER_HOURS = { from: 8 * 60, to: 22 * 60 } as const

type Lang = 'zh' | 'en'

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/** mulberry32: a tiny seeded PRNG, so the demo is the same on every run (relative to today). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

class Random {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  float(): number {
    return this.next()
  }
  chance(probability: number): boolean {
    return this.next() < probability
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  /** A duration in [minMinutes, maxMinutes], in milliseconds. */
  minutes(minMinutes: number, maxMinutes: number): number {
    return Math.round((minMinutes + this.next() * (maxMinutes - minMinutes)) * MINUTE)
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights) as [K, number][]
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
    let roll = this.next() * total
    for (const [key, weight] of entries) {
      roll -= weight
      if (roll < 0) return key
    }
    const last = entries.at(-1)
    if (last === undefined) throw new Error('weighted pick from no weights')
    return last[0]
  }
}

// ---------------------------------------------------------------------------------------------
// The directory

interface OrganisationSeed {
  readonly key: string
  readonly name: string
  readonly vipLevel: VipLevel
  readonly servicePackage: ServicePackage
  readonly region: string
  readonly domain: string
}

const ORGANISATIONS: readonly OrganisationSeed[] = [
  { key: 'hdzz', name: DEMO_MARKER_ORGANISATION, vipLevel: 'gold', servicePackage: 'exclusive', region: '华东', domain: 'hdzz.example.cn' },
  { key: 'yunqi', name: '北京云启信息技术有限公司', vipLevel: 'silver', servicePackage: 'value_added', region: '华北', domain: 'yunqi-tech.example.cn' },
  { key: 'haian', name: '深圳海岸电子股份有限公司', vipLevel: 'gold', servicePackage: 'value_added', region: '华南', domain: 'haian-elec.example.cn' },
  { key: 'jincheng', name: '成都锦程物流有限公司', vipLevel: 'standard', servicePackage: 'basic', region: '西南', domain: 'jincheng-wl.example.cn' },
  { key: 'qinghe', name: '上海青禾医疗器械有限公司', vipLevel: 'silver', servicePackage: 'exclusive', region: '华东', domain: 'qinghe-med.example.cn' },
  { key: 'nordlicht', name: 'Nordlicht Logistics GmbH', vipLevel: 'silver', servicePackage: 'value_added', region: 'Europe', domain: 'nordlicht.example.com' },
  { key: 'harbour', name: 'Harbour & Finch Retail Ltd', vipLevel: 'standard', servicePackage: 'basic', region: 'Europe', domain: 'harbourfinch.example.com' },
  { key: 'pacific', name: 'Pacific Rim Hotels Group', vipLevel: 'gold', servicePackage: 'exclusive', region: '华南', domain: 'pacificrim-hotels.example.com' },
]

interface CustomerSeed {
  readonly name: string
  /** Local part of the e-mail address; the domain is the organisation's. */
  readonly mailbox: string
  readonly org: string | null
  readonly phone?: string
  readonly isOrgAdmin?: boolean
}

/** Where a customer lives: language, time zone and its offset from UTC (no daylight saving in the demo). */
interface Locality {
  readonly lang: Lang
  readonly timeZone: string
  readonly offsetHours: number
}

const LOCALITY: Readonly<Record<string, Locality>> = {
  zh: { lang: 'zh', timeZone: 'Asia/Shanghai', offsetHours: 8 },
  nordlicht: { lang: 'en', timeZone: 'Europe/Berlin', offsetHours: 1 },
  harbour: { lang: 'en', timeZone: 'Europe/London', offsetHours: 0 },
  pacific: { lang: 'en', timeZone: 'Asia/Hong_Kong', offsetHours: 8 },
  private: { lang: 'en', timeZone: 'Europe/London', offsetHours: 0 },
}

const CUSTOMERS: readonly CustomerSeed[] = [
  { name: '王伟', mailbox: 'wang.wei', org: 'hdzz', phone: '13800138000', isOrgAdmin: true },
  { name: '李娜', mailbox: 'li.na', org: 'hdzz', phone: '13800138001' },
  { name: '张强', mailbox: 'zhang.qiang', org: 'hdzz', phone: '13912345678' },
  { name: '刘芳', mailbox: 'liu.fang', org: 'hdzz' },
  { name: '陈杰', mailbox: 'chen.jie', org: 'hdzz', phone: '13800138002' },
  { name: '杨秀英', mailbox: 'yang.xiuying', org: 'hdzz' },
  { name: '赵敏', mailbox: 'zhao.min', org: 'yunqi', phone: '13601012233', isOrgAdmin: true },
  { name: '黄磊', mailbox: 'huang.lei', org: 'yunqi', phone: '13800138003' },
  { name: '周洁', mailbox: 'zhou.jie', org: 'yunqi' },
  { name: '吴俊', mailbox: 'wu.jun', org: 'yunqi', phone: '13800138004' },
  { name: '徐静', mailbox: 'xu.jing', org: 'yunqi' },
  { name: '孙丽', mailbox: 'sun.li', org: 'haian', phone: '13728765432', isOrgAdmin: true },
  { name: '马超', mailbox: 'ma.chao', org: 'haian', phone: '13800138005' },
  { name: '朱红', mailbox: 'zhu.hong', org: 'haian' },
  { name: '胡军', mailbox: 'hu.jun', org: 'haian', phone: '13800138006' },
  { name: '郭燕', mailbox: 'guo.yan', org: 'haian' },
  { name: '何平', mailbox: 'he.ping', org: 'jincheng', phone: '13880012345', isOrgAdmin: true },
  { name: '高飞', mailbox: 'gao.fei', org: 'jincheng', phone: '13800138007' },
  { name: '林晓', mailbox: 'lin.xiao', org: 'jincheng' },
  { name: '罗刚', mailbox: 'luo.gang', org: 'jincheng', phone: '13800138008' },
  { name: '梁静', mailbox: 'liang.jing', org: 'qinghe', phone: '13501726688', isOrgAdmin: true },
  { name: '宋涛', mailbox: 'song.tao', org: 'qinghe', phone: '13800138009' },
  { name: '郑雪', mailbox: 'zheng.xue', org: 'qinghe' },
  { name: '谢明', mailbox: 'xie.ming', org: 'qinghe', phone: '13800138010' },
  { name: '韩冰', mailbox: 'han.bing', org: 'qinghe' },
  { name: 'Anna Schmidt', mailbox: 'anna.schmidt', org: 'nordlicht', phone: '+49 30 90182711', isOrgAdmin: true },
  { name: 'Lukas Becker', mailbox: 'lukas.becker', org: 'nordlicht', phone: '+49 40 3346120' },
  { name: 'Sophie Wagner', mailbox: 'sophie.wagner', org: 'nordlicht' },
  { name: 'Jonas Hoffmann', mailbox: 'jonas.hoffmann', org: 'nordlicht', phone: '+49 30 90182714' },
  { name: 'Laura Fischer', mailbox: 'laura.fischer', org: 'nordlicht' },
  { name: 'Oliver Bennett', mailbox: 'oliver.bennett', org: 'harbour', phone: '+44 20 7946 0321', isOrgAdmin: true },
  { name: 'Charlotte Hughes', mailbox: 'charlotte.hughes', org: 'harbour', phone: '+44 20 7946 0544' },
  { name: 'James Whitfield', mailbox: 'james.whitfield', org: 'harbour' },
  { name: 'Amelia Clarke', mailbox: 'amelia.clarke', org: 'harbour' },
  { name: 'Grace Lau', mailbox: 'grace.lau', org: 'pacific', phone: '+852 5123 4501', isOrgAdmin: true },
  { name: 'Michael Tan', mailbox: 'michael.tan', org: 'pacific', phone: '+852 5123 4502' },
  { name: 'Sarah Wong', mailbox: 'sarah.wong', org: 'pacific' },
  { name: 'David Cheung', mailbox: 'david.cheung', org: 'pacific' },
  { name: '冯晓雨', mailbox: 'feng.xiaoyu', org: null, phone: '13800138011' },
  { name: 'Tom Richards', mailbox: 'tom.richards', org: null },
]

/** Customers without an organisation have addresses at a public mail provider. */
const PRIVATE_DOMAIN: Readonly<Record<Lang, string>> = { zh: 'mail.example.cn', en: 'mail.example.com' }

const STAFF_DOMAIN = 'desk.example.com'

type GroupKey = 'firstLine' | 'specialists' | 'engineering'

const GROUPS: Readonly<Record<GroupKey, { readonly name: string; readonly description: string }>> = {
  firstLine: { name: '一线支持 / First line', description: '热线、邮件与在线客服的首问受理 · Hotline, e-mail and chat intake' },
  specialists: { name: '二线专家 / Specialists', description: '网络、硬件与业务系统专家 · Network, hardware and application specialists' },
  engineering: { name: '研发 / Engineering', description: '产品缺陷修复与补丁发布 · Product defects and patches' },
}

interface StaffSeed {
  readonly name: string
  readonly mailbox: string
  readonly role: StaffRole
  readonly tier: Tier | null
  readonly groups: readonly GroupKey[]
  readonly lang: Lang
}

const STAFF: readonly StaffSeed[] = [
  { name: '张敏', mailbox: 'zhang.min', role: 'agent', tier: 'L1', groups: ['firstLine'], lang: 'zh' },
  { name: '刘洋', mailbox: 'liu.yang', role: 'agent', tier: 'L1', groups: ['firstLine'], lang: 'zh' },
  { name: '陈静', mailbox: 'chen.jing', role: 'agent', tier: 'L1', groups: ['firstLine'], lang: 'zh' },
  { name: '杨帆', mailbox: 'yang.fan', role: 'agent', tier: 'L1', groups: ['firstLine'], lang: 'zh' },
  { name: '赵磊', mailbox: 'zhao.lei', role: 'agent', tier: 'L1', groups: ['firstLine'], lang: 'zh' },
  { name: 'Emily Carter', mailbox: 'emily.carter', role: 'agent', tier: 'L1', groups: ['firstLine'], lang: 'en' },
  { name: '孙浩', mailbox: 'sun.hao', role: 'agent', tier: 'L2', groups: ['specialists'], lang: 'zh' },
  { name: '周婷', mailbox: 'zhou.ting', role: 'agent', tier: 'L2', groups: ['specialists'], lang: 'zh' },
  { name: '吴刚', mailbox: 'wu.gang', role: 'agent', tier: 'L2', groups: ['specialists'], lang: 'zh' },
  { name: 'Daniel Weber', mailbox: 'daniel.weber', role: 'agent', tier: 'L2', groups: ['specialists'], lang: 'en' },
  { name: '郑凯', mailbox: 'zheng.kai', role: 'agent', tier: 'L3', groups: ['engineering'], lang: 'zh' },
  { name: 'Priya Nair', mailbox: 'priya.nair', role: 'agent', tier: 'L3', groups: ['engineering'], lang: 'en' },
  { name: '何蕾', mailbox: 'he.lei', role: 'supervisor', tier: null, groups: ['firstLine', 'specialists'], lang: 'zh' },
  { name: '林志远', mailbox: 'lin.zhiyuan', role: 'manager', tier: null, groups: [], lang: 'zh' },
]

type CategoryKey =
  | 'hardware' | 'printers' | 'network' | 'devices'
  | 'software' | 'accounts' | 'install' | 'apps'
  | 'billing' | 'invoices' | 'contracts'
  | 'delivery' | 'service'

/** The category tree, parents before children. */
const CATEGORIES: readonly { readonly key: CategoryKey; readonly parent: CategoryKey | null; readonly zh: string; readonly en: string }[] = [
  { key: 'hardware', parent: null, zh: '硬件故障', en: 'Hardware faults' },
  { key: 'printers', parent: 'hardware', zh: '打印机', en: 'Printers' },
  { key: 'network', parent: 'hardware', zh: '网络', en: 'Network' },
  { key: 'devices', parent: 'hardware', zh: '电脑与外设', en: 'Computers & peripherals' },
  { key: 'software', parent: null, zh: '软件', en: 'Software' },
  { key: 'accounts', parent: 'software', zh: '账户', en: 'Accounts' },
  { key: 'install', parent: 'software', zh: '安装与升级', en: 'Installation & upgrades' },
  { key: 'apps', parent: 'software', zh: '业务系统', en: 'Business applications' },
  { key: 'billing', parent: null, zh: '账务', en: 'Billing' },
  { key: 'invoices', parent: 'billing', zh: '发票', en: 'Invoices' },
  { key: 'contracts', parent: 'billing', zh: '合同与续约', en: 'Contracts & renewals' },
  { key: 'delivery', parent: null, zh: '备件与物流', en: 'Spare parts & delivery' },
  { key: 'service', parent: null, zh: '服务质量', en: 'Service quality' },
]

// ---------------------------------------------------------------------------------------------
// What customers ask about

/** Who finally solves a request: first line, a specialist, engineering, or the supervisor (complaints). */
type Route = 'L1' | 'L2' | 'L3' | 'supervisor'

interface Scenario {
  readonly lang: Lang
  readonly subject: string
  readonly description: string
  readonly type: TicketType
  readonly severity: Severity
  readonly category: CategoryKey
  readonly route: Route
  readonly tags: readonly string[]
  /** The agent's question when the ticket waits on the customer, and the customer's answer. */
  readonly ask?: string
  readonly answer?: string
  /** An internal note with the diagnosis. */
  readonly note?: string
  /** The public reply that resolves the request. */
  readonly fix: string
}

const SCENARIOS: readonly Scenario[] = [
  {
    lang: 'zh', subject: '打印机无法连接网络', type: 'incident', severity: 'P3', category: 'printers', route: 'L1', tags: ['printer'],
    description: '{site}的{printer}从昨天下午开始无法连接网络，打印任务一直卡在队列里。重启打印机和电脑后仍然不行，网口指示灯不亮。',
    ask: '请提供打印机的序列号，并拍一张网口指示灯的照片发给我们。',
    answer: '序列号是 {serial}，照片已附上：网口灯完全不亮，换了一根网线也一样。',
    note: '远程查看交换机端口正常，怀疑打印机 IP 与新上线的考勤机冲突。',
    fix: '已远程协助将打印机改为固定 IP（原 DHCP 地址与考勤机冲突），打印机已恢复联网，请再试一次打印。',
  },
  {
    lang: 'zh', subject: '发票抬头需要修改', type: 'change', severity: 'P4', category: 'invoices', route: 'L1', tags: ['invoice'],
    description: '上个月开具的增值税专用发票抬头写错了，应为“{org}”。请作废原发票后重新开具，订单号 {order}。',
    fix: '已作废原发票并按正确抬头重新开具，电子发票已发送到您的邮箱，纸质发票今天寄出。',
  },
  {
    lang: 'zh', subject: '系统登录提示“账号已锁定”', type: 'incident', severity: 'P3', category: 'accounts', route: 'L1', tags: ['login'],
    description: '今天早上输错几次密码后，登录业务系统时一直提示“账号已锁定，请联系管理员”，影响正常办公，请尽快处理。',
    fix: '已为您解锁账号并重置密码，临时密码已通过短信发送，首次登录后请及时修改。',
  },
  {
    lang: 'zh', subject: '生产线扫码终端全部掉线，无法报工', type: 'incident', severity: 'P1', category: 'network', route: 'L2', tags: ['outage', 'network'],
    description: '{site}生产线的 12 台扫码终端在 10 分钟前同时掉线，工人无法报工，生产已经停滞，请紧急处理！',
    note: '初步判断为车间核心交换机上联光模块故障，已安排备件。',
    fix: '故障原因为车间交换机的上联光模块损坏，工程师已到场更换备件，扫码终端已全部恢复在线。请观察一个班次，有异常随时联系。',
  },
  {
    lang: 'zh', subject: '升级到 5.2 版本后报表导出乱码', type: 'defect', severity: 'P2', category: 'apps', route: 'L3', tags: ['export', 'upgrade'],
    description: '昨晚升级到 5.2 版本后，导出的 Excel 报表中中文全部变成乱码，5.1 版本一切正常。月底结账需要这些报表，比较着急。',
    ask: '请问您使用的 Excel 版本和操作系统是？能否提供一份导出的样例文件？',
    answer: '我们用的是 Office 2016，Windows 10，样例文件已通过邮件发送。',
    note: '已复现：5.2 导出 CSV 时未写入 UTF-8 BOM，Excel 按 GBK 打开导致乱码。',
    fix: '问题已在 5.2.1 补丁中修复（导出文件增加 UTF-8 BOM），补丁已推送到贵司服务器，升级后即可正常导出。',
  },
  {
    lang: 'zh', subject: '咨询专属服务包包含哪些内容', type: 'consultation', severity: 'P4', category: 'contracts', route: 'L1', tags: ['package'],
    description: '我们的合同下个季度到期，想了解专属服务包和增值服务包的区别，以及升级需要办理哪些手续。',
    fix: '专属服务包包含 7×24 小时热线、专属客户经理、每季度上门巡检和 2 小时到场服务；增值服务包为工作日 4 小时到场。详细对比和升级申请表已发送至您的邮箱。',
  },
  {
    lang: 'zh', subject: '投诉：维修工程师两次预约未到场', type: 'complaint', severity: 'P2', category: 'service', route: 'supervisor', tags: ['complaint', 'onsite'],
    description: '我们预约了{date}上门维修服务器，工程师两次都没有到场，也没有提前通知，严重影响了我们的业务，请给出说明。',
    note: '核实派工记录：两次均因派工系统排班冲突未通知客户，属我方责任。',
    fix: '非常抱歉给您带来的不便。经核实为我方派工排班冲突所致，已安排高级工程师明天上午 9 点上门，并为贵司延长一个月服务期作为补偿。',
  },
  {
    lang: 'zh', subject: '查询备件发货进度', type: 'information', severity: 'P4', category: 'delivery', route: 'L1', tags: ['spare-parts'],
    description: '上周申请的硬盘备件（申请单号 {order}）什么时候能发货？服务器一直在降级运行。',
    fix: '备件已于今天通过顺丰发出，运单号 SF{n}，预计明天中午前送达。',
  },
  {
    lang: 'zh', subject: '全部门 Outlook 无法收发邮件', type: 'incident', severity: 'P2', category: 'network', route: 'L2', tags: ['email'],
    description: '从上午 10 点开始，部门所有人的 Outlook 都无法收发邮件，提示“与服务器的连接超时”，网页版邮箱可以正常登录。',
    note: '邮件网关 TLS 证书昨晚过期，客户端握手失败。',
    fix: '原因是邮件网关的证书过期，已更新证书并重启服务，邮件收发已恢复，积压的邮件正在陆续投递。',
  },
  {
    lang: 'zh', subject: '申请新增 5 个系统账号', type: 'change', severity: 'P4', category: 'accounts', route: 'L1', tags: ['accounts'],
    description: '本月新入职 5 名员工，需要开通业务系统账号，权限与仓储部现有员工一致，名单见附件。',
    fix: '5 个账号已开通，权限已按仓储部模板配置，初始密码已分别发送给员工本人。',
  },
  {
    lang: 'zh', subject: '笔记本电脑开机蓝屏', type: 'incident', severity: 'P3', category: 'devices', route: 'L2', tags: ['laptop'],
    description: '一台{model}开机后蓝屏，错误代码 0x0000007B，已经试过安全模式也进不去系统，电脑里有重要资料。',
    ask: '请确认这台电脑最近是否更新过 BIOS 或者硬盘驱动？',
    answer: '前天晚上系统自动更新过一次驱动。',
    note: '存储控制器驱动更新后与 BIOS 的 AHCI 设置不兼容。',
    fix: '已回滚存储驱动并修复引导，电脑恢复正常，资料完好。建议暂停该驱动的自动更新，我们会在验证新版驱动后通知您。',
  },
  {
    lang: 'zh', subject: '会议室无线网络信号差，经常断线', type: 'incident', severity: 'P3', category: 'network', route: 'L1', tags: ['wifi'],
    description: '{site}大会议室的无线网络信号很差，视频会议时经常断线，其他区域正常。',
    fix: '已调整会议室 AP 的信道并增加一台吸顶 AP，现场测试信号强度已恢复正常，视频会议不再断线。',
  },
  {
    lang: 'zh', subject: '合同到期续约流程咨询', type: 'consultation', severity: 'P4', category: 'contracts', route: 'L1', tags: ['renewal'],
    description: '我司的维保合同将于下月底到期，请问续约需要准备哪些材料？续约期间服务会中断吗？',
    fix: '续约只需盖章的续约申请表和营业执照副本，合同到期前办理不会中断服务。申请表模板已发送至您的邮箱，客户经理会在本周内与您联系。',
  },
  {
    lang: 'zh', subject: '安装客户端提示缺少运行库', type: 'incident', severity: 'P3', category: 'install', route: 'L1', tags: ['install'],
    description: '在新电脑上安装客户端时提示“找不到 VCRUNTIME140.dll”，安装失败，试了两台电脑都一样。',
    fix: '请先安装 Microsoft Visual C++ 2015-2022 运行库（下载链接已附上），再重新运行客户端安装程序即可。',
  },
  {
    lang: 'zh', subject: 'ERP 与仓储系统数据同步每天凌晨失败', type: 'defect', severity: 'P2', category: 'apps', route: 'L3', tags: ['sync'],
    description: 'ERP 与仓储系统的数据同步任务从{date}起每天凌晨 2 点失败，日志显示“主键冲突”，导致早班库存数据不准。',
    note: '日志显示同步任务在同一时刻执行了两次，疑似升级后定时器重复注册。',
    fix: '已修复定时器重复注册的问题，并补跑了缺失日期的数据。今后同步任务只会执行一次，请核对今天早班的库存数据。',
  },
  {
    lang: 'zh', subject: '打印机频繁卡纸，打印有黑色条纹', type: 'incident', severity: 'P3', category: 'printers', route: 'L1', tags: ['printer'],
    description: '{site}的{printer}最近一周频繁卡纸，打印出来的文件上有一道黑色竖条纹，换了硒鼓也一样。',
    fix: '工程师已上门更换定影组件和搓纸轮，打印质量已恢复正常。',
  },
  {
    lang: 'zh', subject: '申请提供上季度服务报告', type: 'information', severity: 'P4', category: 'contracts', route: 'L1', tags: ['report'],
    description: '公司内部审计需要上季度的服务报告，包括工单数量、平均响应时间和满意度，请提供 PDF 版。',
    fix: '上季度服务报告（含工单量、平均响应时长、SLA 达成率和满意度）已生成，PDF 已发送至您的邮箱。',
  },
  {
    lang: 'zh', subject: '投诉：热线等待时间过长', type: 'complaint', severity: 'P3', category: 'service', route: 'supervisor', tags: ['complaint', 'hotline'],
    description: '昨天下午拨打服务热线，排队等了 25 分钟才接通，而且转接了三次才找到负责的人，体验很差。',
    note: '调取话务记录：昨日 14:00–16:00 来电量为平时 2.4 倍，排班不足。',
    fix: '非常抱歉让您久等。昨天下午因系统升级通知引发来电高峰，排班不足。我们已增加高峰时段坐席，并为贵司开通 VIP 专线优先接入。',
  },
  {
    lang: 'zh', subject: '订单页面打开非常慢', type: 'incident', severity: 'P2', category: 'apps', route: 'L3', tags: ['performance'],
    description: '从本周一开始，业务系统的订单列表页面打开需要将近一分钟，其他页面正常，所有人都一样。',
    ask: '请问贵司最近是否导入过大批量的历史订单？大概的订单总量是多少？',
    answer: '上周五导入了 3 年的历史订单，大约 80 万条。',
    note: '订单列表查询缺少 (customer_id, created_at) 复合索引，数据量增大后全表扫描。',
    fix: '已为订单表补充索引并优化查询，订单列表现在 1 秒内打开。该优化也会包含在下个版本中。',
  },
  {
    lang: 'zh', subject: '修改服务联系人及手机号', type: 'change', severity: 'P4', category: 'contracts', route: 'L1', tags: ['contact'],
    description: '原服务联系人已离职，请将我司的服务联系人改为{customer}，手机号同本账号。',
    fix: '已将贵司的服务联系人更新为{customer}，后续服务通知和回访将联系新联系人。',
  },
  {
    lang: 'zh', subject: '条码打印机打印内容偏移', type: 'incident', severity: 'P3', category: 'printers', route: 'L1', tags: ['printer', 'barcode'],
    description: '仓库的条码打印机打出来的标签内容整体向右偏了约 5 毫米，扫码枪读不出来。',
    fix: '已远程指导重新校准标签纸传感器并调整打印偏移量，标签已恢复正常，扫码测试通过。',
  },
  {
    lang: 'zh', subject: '申请开通 VPN 远程访问权限', type: 'change', severity: 'P3', category: 'network', route: 'L1', tags: ['vpn'],
    description: '财务部 3 名同事下周起需要居家办公，请为他们开通 VPN 远程访问权限，已经过部门负责人审批。',
    fix: 'VPN 账号已开通，客户端安装包和使用说明已发送给三位同事，首次登录需绑定手机令牌。',
  },
  {
    lang: 'zh', subject: '咨询如何批量导入客户资料', type: 'consultation', severity: 'P3', category: 'apps', route: 'L1', tags: ['import'],
    description: '我们有 3000 多条客户资料在 Excel 里，请问怎样批量导入到系统中？',
    fix: '可以在“客户管理 → 批量导入”中下载模板，按模板填写后上传，单次最多 5000 条。操作手册已附上，如导入报错请把错误报告发给我们。',
  },
  {
    lang: 'zh', subject: '监控大屏数据不刷新', type: 'defect', severity: 'P3', category: 'apps', route: 'L2', tags: ['dashboard'],
    description: '调度中心的监控大屏从今天早上开始数据一直停留在 8:15，不再刷新，手动刷新页面也没用。',
    note: '大屏的推送服务连接数达到上限，旧连接未释放。',
    fix: '已重启推送服务并调大连接上限，大屏数据已恢复实时刷新。我们会在下个版本修复连接未释放的问题。',
  },
  {
    lang: 'en', subject: 'VPN keeps disconnecting after update', type: 'incident', severity: 'P2', category: 'network', route: 'L2', tags: ['vpn', 'upgrade'],
    description: 'Since the VPN client updated to 4.8 last night, the connection drops every 10–15 minutes for everyone working from home. Reconnecting works, but our ERP sessions are lost each time.',
    ask: 'Could you send us the client log (Help → Export logs) from one of the affected laptops?',
    answer: 'Log attached, exported from Jonas’s laptop right after a drop.',
    note: 'Client 4.8 renegotiates keys every 10 min and the gateway rejects the rekey. Known issue, fixed in 4.8.2.',
    fix: 'We have pushed VPN client 4.8.2, which fixes the rekeying problem. Please restart the VPN client once; the connection should now stay up.',
  },
  {
    lang: 'en', subject: 'Cannot sign in to the customer portal', type: 'incident', severity: 'P3', category: 'accounts', route: 'L1', tags: ['login'],
    description: 'I get "invalid credentials" on the customer portal although I am sure the password is right. I reset it yesterday.',
    fix: 'Your account had been locked after five failed attempts from an old saved password in your browser. We unlocked it and sent you a fresh reset link.',
  },
  {
    lang: 'en', subject: 'Invoice shows the wrong VAT number', type: 'change', severity: 'P4', category: 'invoices', route: 'L1', tags: ['invoice'],
    description: 'Invoice {order} still shows our old VAT number. Please cancel it and issue a corrected invoice to {org}.',
    fix: 'We have cancelled the invoice and issued a corrected one with your current VAT number. You will find it in the portal under Billing.',
  },
  {
    lang: 'en', subject: 'Warehouse scanners lost Wi-Fi – goods receiving stopped', type: 'incident', severity: 'P1', category: 'network', route: 'L2', tags: ['outage', 'wifi'],
    description: 'All handheld scanners at the {site} lost the Wi-Fi connection 10 minutes ago. Goods receiving is at a standstill and trucks are queuing.',
    note: 'The controller applied a firmware update overnight and the access points came back without their configuration.',
    fix: 'A failed firmware update on the wireless controller left the access points unconfigured. We rolled the firmware back and all scanners are online again.',
  },
  {
    lang: 'en', subject: 'Report export crashes for date ranges over 3 months', type: 'defect', severity: 'P2', category: 'apps', route: 'L3', tags: ['export'],
    description: 'Exporting the monthly sales report works, but any date range over three months ends in "Internal error 500" after about a minute.',
    ask: 'Which report template are you using, and roughly how many orders are in the range?',
    answer: 'The "Sales by region" template, around 400,000 orders for the half year.',
    note: 'The export builds the whole file in memory and hits the 60 s gateway timeout. Reproduced with 300k rows.',
    fix: 'Release 5.2.2 streams large exports in the background and e-mails a download link when the file is ready. It is installed on your instance now.',
  },
  {
    lang: 'en', subject: 'What does the exclusive service package include?', type: 'consultation', severity: 'P4', category: 'contracts', route: 'L1', tags: ['package'],
    description: 'We are considering upgrading from value-added to the exclusive package. What exactly is included, and can we switch mid-contract?',
    fix: 'The exclusive package adds a named account manager, 24/7 hotline priority, quarterly on-site checks and a 2-hour on-site response. You can switch at any time; the price is prorated. Details are in the attached brochure.',
  },
  {
    lang: 'en', subject: 'Complaint: engineer arrived without the spare part', type: 'complaint', severity: 'P2', category: 'service', route: 'supervisor', tags: ['complaint', 'onsite'],
    description: 'Your engineer came on {date} to replace the controller board but did not bring the part. We had shut down the line for the visit. This is the second time.',
    note: 'Dispatch note shows the part was reserved for another job; the engineer was not told.',
    fix: 'We are very sorry. The part had been reallocated without telling the engineer. A senior engineer will come tomorrow at 9:00 with the part confirmed in his van, and we have credited one month of service.',
  },
  {
    lang: 'en', subject: 'Where is my replacement printer?', type: 'information', severity: 'P4', category: 'delivery', route: 'L1', tags: ['delivery', 'printer'],
    description: 'We were promised a replacement printer for order {order} last week. Could you tell us the delivery status?',
    fix: 'The printer left our warehouse today with DHL, tracking number {n}. Expected delivery is tomorrow before noon.',
  },
  {
    lang: 'en', subject: 'Printer prints blank pages', type: 'incident', severity: 'P3', category: 'printers', route: 'L1', tags: ['printer'],
    description: 'The {printer} in the {site} feeds paper normally but every page comes out blank. New toner did not help.',
    fix: 'The transfer roller was worn out. Our engineer replaced it on site and the test pages print correctly.',
  },
  {
    lang: 'en', subject: 'Please add two new users to our account', type: 'change', severity: 'P4', category: 'accounts', route: 'L1', tags: ['accounts'],
    description: 'Two colleagues start on Monday. Please create portal and system accounts for them with the same rights as me. Names are in the attached list.',
    fix: 'Both accounts are set up with the same rights as yours. The invitations have been sent to their e-mail addresses.',
  },
  {
    lang: 'en', subject: 'Laptop battery is swelling', type: 'incident', severity: 'P2', category: 'devices', route: 'L2', tags: ['laptop', 'safety'],
    description: 'The battery of a {model} is visibly swollen and the touchpad is lifting. Is it safe to keep using it?',
    note: 'Safety case: device must be collected, not shipped by the customer.',
    fix: 'Please stop using the laptop and keep it unplugged. Our courier collected it today and a replacement unit with your data restored is on its way.',
  },
  {
    lang: 'en', subject: 'POS sales reach the stock system hours late', type: 'defect', severity: 'P2', category: 'apps', route: 'L3', tags: ['sync', 'pos'],
    description: 'Since the weekend, sales from our shop tills appear in the stock system 3–4 hours late, so the shelves show stock we no longer have.',
    note: 'The sync queue retries one malformed receipt forever and blocks everything behind it.',
    fix: 'A receipt with an unusual discount code blocked the sync queue. We fixed the parser, cleared the backlog and added monitoring so a stuck queue alerts us.',
  },
  {
    lang: 'en', subject: 'How do I set up two-factor authentication?', type: 'consultation', severity: 'P4', category: 'accounts', route: 'L1', tags: ['2fa'],
    description: 'Our security policy now requires 2FA. How do I enable it for my account and for the rest of the team?',
    fix: 'Each user can enable it under Profile → Security → Two-factor authentication with any authenticator app. As organisation admin you can make it mandatory under Organisation → Policies. Step-by-step guide attached.',
  },
  {
    lang: 'en', subject: 'Booking system slow during check-in peak', type: 'incident', severity: 'P2', category: 'apps', route: 'L2', tags: ['performance'],
    description: 'Between 14:00 and 16:00 the front desk booking system takes 20–30 seconds per check-in. Guests are queuing in the lobby.',
    ask: 'Does this affect all of your hotels or only some? And has anything changed on your network recently?',
    answer: 'Only the three hotels on the new fibre line; the others are fine.',
    fix: 'The new fibre line had a wrong MTU setting, which fragmented every request. Your provider corrected it this morning and check-in times are back to about one second.',
  },
  {
    lang: 'en', subject: 'Change our support contact', type: 'change', severity: 'P4', category: 'contracts', route: 'L1', tags: ['contact'],
    description: 'Please make {customer} the main support contact for {org} from now on; the previous contact has left the company.',
    fix: 'Done: {customer} is now the main support contact and will receive service notices and follow-up calls.',
  },
  {
    lang: 'en', subject: 'Installer fails on macOS 15', type: 'defect', severity: 'P3', category: 'install', route: 'L3', tags: ['install', 'macos'],
    description: 'The desktop client installer stops with "The package is damaged" on our new MacBooks running macOS 15. Older Macs install fine.',
    note: 'Installer is signed with the old certificate; macOS 15 rejects it. Needs a re-signed build.',
    fix: 'We have published a re-signed installer (version 3.4.1) that installs on macOS 15. The download link in the portal now points to it.',
  },
]

const FILLERS: Readonly<Record<Lang, { readonly site: readonly string[]; readonly printer: readonly string[]; readonly model: readonly string[] }>> = {
  zh: {
    site: ['一号厂房', '二楼财务室', '总部三楼', '苏州分厂', '研发中心', '华南仓库'],
    printer: ['惠普 M428 激光打印机', '兄弟 HL-5590 打印机', '理光 MP 2555 复印机', '佳能 iR 2625 一体机'],
    model: ['联想昭阳 K4e 笔记本', 'ThinkPad T14 笔记本', '戴尔 Latitude 5440 笔记本'],
  },
  en: {
    site: ['Hamburg warehouse', 'London head office', 'Kowloon hotel', 'Bremen depot', 'Manchester store', 'second-floor office'],
    printer: ['HP LaserJet M428', 'Brother HL-L6400', 'Ricoh IM 430', 'Canon i-SENSYS MF455'],
    model: ['ThinkPad T14', 'Dell Latitude 5440', 'HP EliteBook 840'],
  },
}

/** Text the desk uses whatever the request. */
interface Phrases {
  readonly ack: readonly string[]
  readonly ask: string
  readonly answer: string
  readonly notes: readonly string[]
  readonly pickUp: string
  readonly toSpecialist: readonly string[]
  readonly toEngineering: string
  readonly toSupervisor: string
  readonly handover: string
  readonly complaintAck: string
  readonly waitReason: string
  readonly resolveReason: string
  readonly thanks: readonly string[]
  readonly customerClose: string
  readonly followUpClose: string
  readonly reopenMessage: string
  readonly reopenReason: string
  readonly secondFix: string
  readonly escalation: string
  readonly escalationNote: string
}

const PHRASES: Readonly<Record<Lang, Phrases>> = {
  zh: {
    ack: [
      '{customer}您好，您的问题已受理，我是客服{agent}，会全程跟进，有进展第一时间告知您。',
      '您好，已收到您的反馈，我们正在排查原因，预计两小时内给您初步答复。',
      '{customer}您好，感谢您的耐心等待。工单已受理，工程师正在查看相关日志。',
    ],
    ask: '为了尽快定位问题，请提供出现问题时的截图、具体时间以及受影响的人数。',
    answer: '截图已附上，问题大约在今天上午 10 点出现，部门里有 3 个人受影响。',
    notes: ['已电话联系客户确认现象，可以稳定复现。', '查询历史工单：该客户上月有类似问题，当时通过重启解决。', '金牌客户，注意按时回访。', '已查看知识库，暂无现成方案。'],
    pickUp: '已接手，正在查看前序处理记录。',
    toSpecialist: ['超出一线处理范围，转二线专家进一步排查', '需要专家远程诊断，转二线处理', '一线常规排查无效，升级到二线'],
    toEngineering: '已复现，确认为产品缺陷，转研发修复',
    toSupervisor: '投诉工单，按投诉流程转主管处理',
    handover: '交接班，转当班同事继续跟进',
    complaintAck: '{customer}您好，我是服务主管{agent}。对给您造成的困扰深表歉意，我们会在 72 小时内核实情况并给您答复。',
    waitReason: '等待客户提供信息',
    resolveReason: '已提供解决方案',
    thanks: ['谢谢，已经恢复正常了！', '问题已解决，感谢工程师的耐心。', '收到，确认没问题了，辛苦了。'],
    customerClose: '客户确认问题已解决',
    followUpClose: '回访确认：客户表示问题已解决，对服务满意',
    reopenMessage: '今天问题又出现了，现象和之前一样，麻烦再看一下。',
    reopenReason: '客户反馈问题未解决',
    secondFix: '已进一步排查，发现上次的修改在重启后未生效，现已永久修正并验证通过，请再确认一下。',
    escalation: 'P1 故障，已升级通知经理',
    escalationNote: 'P1 故障，已通知经理林志远，每 30 分钟同步一次进展。',
  },
  en: {
    ack: [
      'Hello {customer}, thank you for getting in touch. I am {agent} and I will follow your request through to the end.',
      'Hi {customer}, we have received your request and are looking into it now. You will hear from us within two hours.',
      'Thanks for the detailed report, {customer}. I have started checking the logs on our side.',
    ],
    ask: 'To narrow this down, could you send a screenshot, the time it last happened and how many people are affected?',
    answer: 'Screenshot attached. It last happened at about 10 am and three people are affected.',
    notes: ['Called the customer: the problem is reproducible.', 'Checked the history: a similar issue last month was solved by a restart.', 'Gold customer – make sure the follow-up call happens on time.', 'Nothing in the knowledge base for this yet.'],
    pickUp: 'Picked up; reading through the history.',
    toSpecialist: ['Beyond first-line scope; passing to the specialists', 'Needs a specialist for remote diagnosis', 'Standard checks did not help; escalating to second line'],
    toEngineering: 'Reproduced; confirmed as a product defect, passing to engineering',
    toSupervisor: 'Complaint – handed to the supervisor as the complaint process requires',
    handover: 'Shift handover: passing to the colleague on duty',
    complaintAck: 'Dear {customer}, I am {agent}, the service supervisor. I am sorry for the trouble; we will establish the facts within 72 hours and come back to you.',
    waitReason: 'Waiting for information from the customer',
    resolveReason: 'Solution provided',
    thanks: ['All working again, thank you!', 'Confirmed fixed – thanks for the quick help.', 'Looks good now, thanks a lot.'],
    customerClose: 'Customer confirmed the fix',
    followUpClose: 'Follow-up call: customer confirmed the fix and is satisfied',
    reopenMessage: 'It is happening again this morning, same symptoms as before.',
    reopenReason: 'Customer reports it is not fixed',
    secondFix: 'We found that the earlier change did not survive a restart. It is now fixed permanently and verified – could you confirm on your side?',
    escalation: 'P1 outage: manager informed',
    escalationNote: 'P1 outage – manager informed; progress updates every 30 minutes.',
  },
}

const CHANNEL_WEIGHTS: Readonly<Record<Lang, Readonly<Partial<Record<Channel, number>>>>> = {
  zh: { phone: 30, email: 20, portal: 20, wechat: 15, chat: 12, walk_in: 3 },
  en: { email: 40, portal: 25, chat: 20, phone: 15 },
}

const SELF_SERVICE_CHANNEL_WEIGHTS: Readonly<Record<Lang, Readonly<Partial<Record<Channel, number>>>>> = {
  zh: { portal: 3, email: 3, wechat: 2 },
  en: { portal: 1, email: 2 },
}

// ---------------------------------------------------------------------------------------------
// Seeding

interface Person {
  readonly user: UserView
  readonly actor: Actor
  readonly name: string
  readonly lang: Lang
}

interface Customer extends Person {
  readonly org: OrganisationSeed | null
  readonly offsetHours: number
}

interface Directory {
  readonly markerOrganisationId: string
  readonly customers: readonly Customer[]
  readonly l1: readonly Person[]
  readonly l2: readonly Person[]
  readonly l3: readonly Person[]
  readonly supervisor: Person
  readonly manager: Person
  readonly groupIds: Readonly<Record<GroupKey, string>>
  readonly categoryIds: Readonly<Record<CategoryKey, string>>
}

/** A clock the seeder moves: every record gets the time of the demo story, not of the run. */
interface DemoClock {
  set(at: number): void
}

function staffEmail(seed: StaffSeed): string {
  return `${seed.mailbox}@${STAFF_DOMAIN}`
}

function customerEmail(seed: CustomerSeed, lang: Lang): string {
  const org = ORGANISATIONS.find((candidate) => candidate.key === seed.org)
  return `${seed.mailbox}@${org?.domain ?? PRIVATE_DOMAIN[lang]}`
}

function localityOf(seed: CustomerSeed): Locality {
  const locality = LOCALITY[seed.org ?? 'private'] ?? LOCALITY.zh
  if (locality === undefined) throw new Error('no locality for the demo customer')
  // Private customers with a Chinese name live in China.
  return seed.org === null && /\p{Script=Han}/u.test(seed.name) ? { lang: 'zh', timeZone: 'Asia/Shanghai', offsetHours: 8 } : locality
}

function staffBySeed(people: readonly { readonly seed: StaffSeed; readonly person: Person }[], predicate: (seed: StaffSeed) => boolean): Person[] {
  return people.filter((entry) => predicate(entry.seed)).map((entry) => entry.person)
}

async function seedDirectory(deps: ServiceDeps, clock: DemoClock, start: number): Promise<Directory> {
  let at = start
  const tick = () => {
    at += 90_000
    clock.set(at)
  }
  tick()
  const organisationIds = new Map<string, string>()
  for (const seed of ORGANISATIONS) {
    tick()
    const row = await createOrganisation(deps, SYSTEM_ACTOR, {
      name: seed.name,
      vipLevel: seed.vipLevel,
      servicePackage: seed.servicePackage,
      region: seed.region,
      notes: seed.key === 'hdzz' ? MARKER_NOTES : null,
    })
    organisationIds.set(seed.key, row.id)
  }

  const groupIds = {} as Record<GroupKey, string>
  for (const key of Object.keys(GROUPS) as GroupKey[]) {
    tick()
    groupIds[key] = (await createGroup(deps, SYSTEM_ACTOR, GROUPS[key])).id
  }

  const categoryIds = {} as Record<CategoryKey, string>
  for (const category of CATEGORIES) {
    tick()
    const row = await createCategory(deps, SYSTEM_ACTOR, {
      nameZh: category.zh,
      nameEn: category.en,
      ...(category.parent !== null ? { parentId: categoryIds[category.parent] } : {}),
    })
    categoryIds[category.key] = row.id
  }

  const staff: { seed: StaffSeed; person: Person }[] = []
  for (const seed of STAFF) {
    tick()
    const memberOf = seed.groups.map((key) => groupIds[key])
    const user = await createUser(deps, SYSTEM_ACTOR, 'staff', {
      name: seed.name,
      email: staffEmail(seed),
      roles: [seed.role],
      tier: seed.tier,
      locale: seed.lang === 'zh' ? 'zh-CN' : 'en',
      groupIds: memberOf,
      password: DEMO_PASSWORD,
    })
    const actor: Actor = { id: user.id, roles: [seed.role], tier: seed.tier, organisationId: null, isOrgAdmin: false, groupIds: memberOf, via: 'session' }
    staff.push({ seed, person: { user, actor, name: seed.name, lang: seed.lang } })
  }

  const customers: Customer[] = []
  for (const seed of CUSTOMERS) {
    tick()
    const locality = localityOf(seed)
    const organisationId = seed.org === null ? null : (organisationIds.get(seed.org) ?? null)
    const user = await createUser(deps, SYSTEM_ACTOR, 'customer', {
      name: seed.name,
      email: customerEmail(seed, locality.lang),
      ...(seed.phone !== undefined ? { phone: seed.phone } : {}),
      ...(organisationId !== null ? { organisationId } : {}),
      isOrgAdmin: seed.isOrgAdmin ?? false,
      locale: locality.lang === 'zh' ? 'zh-CN' : 'en',
      timeZone: locality.timeZone,
      password: DEMO_PASSWORD,
    })
    const actor: Actor = {
      id: user.id,
      roles: ['customer'],
      tier: null,
      organisationId,
      isOrgAdmin: seed.isOrgAdmin ?? false,
      groupIds: [],
      via: 'session',
    }
    customers.push({
      user,
      actor,
      name: seed.name,
      lang: locality.lang,
      org: ORGANISATIONS.find((org) => org.key === seed.org) ?? null,
      offsetHours: locality.offsetHours,
    })
  }

  const [supervisor] = staffBySeed(staff, (seed) => seed.role === 'supervisor')
  const [manager] = staffBySeed(staff, (seed) => seed.role === 'manager')
  if (supervisor === undefined || manager === undefined) throw new Error('the demo staff lacks a supervisor or a manager')
  const markerOrganisationId = organisationIds.get('hdzz')
  if (markerOrganisationId === undefined) throw new Error('the demo marker organisation was not created')
  return {
    markerOrganisationId,
    customers,
    l1: staffBySeed(staff, (seed) => seed.tier === 'L1'),
    l2: staffBySeed(staff, (seed) => seed.tier === 'L2'),
    l3: staffBySeed(staff, (seed) => seed.tier === 'L3'),
    supervisor,
    manager,
    groupIds,
    categoryIds,
  }
}

// ---------------------------------------------------------------------------------------------
// Tickets: when they arrive, how far they got, and the story of each

/** Minutes since midnight, local time at `offsetHours` from UTC. */
function localMinuteOfDay(at: number, offsetHours: number): number {
  const local = new Date(at + offsetHours * HOUR)
  return local.getUTCHours() * 60 + local.getUTCMinutes()
}

interface OpenHours {
  /** Minutes of the local day: open from `from` until just before `to`. */
  readonly from: number
  readonly to: number
}

function isOpen(at: number, offsetHours: number, hours: OpenHours): boolean {
  const minute = localMinuteOfDay(at, offsetHours)
  return minute >= hours.from && minute < hours.to
}

/** Moves `at` into the next open window, a little after it opens. */
function intoOpenHours(at: number, offsetHours: number, hours: OpenHours, random: Random): number {
  if (isOpen(at, offsetHours, hours)) return at
  const minute = localMinuteOfDay(at, offsetHours)
  const untilOpen = minute < hours.from ? hours.from - minute : 24 * 60 - minute + hours.from
  return at + untilOpen * MINUTE + random.minutes(1, 40)
}

/** A receipt time: mostly working hours of the customer, fewer at weekends, some of them very recent. */
function arrivalTime(random: Random, now: number, offsetHours: number): number {
  const bucket = random.float()
  for (let attempt = 0; attempt < 20; attempt++) {
    let at: number
    if (bucket < 0.08) {
      at = now - random.minutes(10, 6 * 60)
    } else {
      const daysAgo = bucket < 0.22 ? random.int(0, 3) : random.int(3, SPAN_DAYS - 1)
      const localMidnight = Math.floor((now + offsetHours * HOUR) / DAY) * DAY - offsetHours * HOUR
      const minuteOfDay = random.chance(0.85) ? random.int(8 * 60 + 30, 18 * 60 + 30) : random.int(18 * 60 + 30, 23 * 60)
      at = localMidnight - daysAgo * DAY + minuteOfDay * MINUTE + random.int(0, 59) * 1000
      const weekday = new Date(at + offsetHours * HOUR).getUTCDay()
      if ((weekday === 0 || weekday === 6) && random.chance(0.7)) continue
    }
    if (at <= now - 10 * MINUTE) return at
  }
  return now - random.minutes(10, 120)
}

/** How far a ticket got, by its age: recent ones are still open, old ones mostly archived. */
function statusForAge(random: Random, ageMs: number): TicketStatus {
  if (ageMs < 4 * HOUR) return random.weighted<TicketStatus>({ new: 35, accepted: 25, in_progress: 30, waiting: 10 })
  if (ageMs < 2 * DAY) return random.weighted<TicketStatus>({ new: 6, accepted: 10, in_progress: 30, waiting: 20, resolved: 26, closed: 8 })
  if (ageMs < 7 * DAY) return random.weighted<TicketStatus>({ in_progress: 12, waiting: 12, resolved: 30, closed: 46 })
  return random.weighted<TicketStatus>({ in_progress: 3, waiting: 3, resolved: 4, closed: 90 })
}

/** Makes sure every status of the lifecycle appears: open ones on the newest tickets, finished ones on the oldest. */
function coverAllStatuses(statuses: TicketStatus[]): void {
  if (statuses.length < TICKET_STATUSES.length) return
  const counts = new Map<TicketStatus, number>()
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1)
  for (const missing of TICKET_STATUSES) {
    if ((counts.get(missing) ?? 0) > 0) continue
    const finished = missing === 'resolved' || missing === 'closed'
    const order = statuses.map((_, index) => index)
    if (!finished) order.reverse()
    const index = order.find((candidate) => {
      const status = statuses[candidate]
      return status !== undefined && (counts.get(status) ?? 0) > 1
    })
    if (index === undefined) continue
    const previous = statuses[index]
    if (previous !== undefined) counts.set(previous, (counts.get(previous) ?? 0) - 1)
    statuses[index] = missing
    counts.set(missing, 1)
  }
}

/** Who acts in a step decides when they can act: the desk in its hours (24×7 for P1), customers in theirs. */
type StepActor = 'desk' | 'customer' | 'intake'

interface Step {
  readonly delay: number
  readonly by: StepActor
  readonly run: () => Promise<void>
}

interface ScheduledStep {
  readonly at: number
  readonly ticket: number
  readonly order: number
  readonly run: () => Promise<void>
}

function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole)
}

function formatDate(at: number, lang: Lang): string {
  const date = new Date(at + DESK_OFFSET_HOURS * HOUR)
  if (lang === 'zh') return `${date.getUTCMonth() + 1}月${date.getUTCDate()}日`
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' })
}

interface TicketPlan {
  readonly index: number
  readonly receivedAt: number
  readonly status: TicketStatus
  readonly customer: Customer
}

/** Tally of what the stories did, for the summary. */
interface Tally {
  messages: number
  transfers: number
  reopens: number
}

/** Everyday first-line requests are far more frequent than those needing specialists or engineering. */
function pickScenario(random: Random, lang: Lang): Scenario {
  const candidates = SCENARIOS.filter((scenario) => scenario.lang === lang)
  const weights = candidates.map((scenario) => (scenario.route === 'L1' ? 4 : 1))
  let roll = random.float() * weights.reduce((sum, weight) => sum + weight, 0)
  for (const [index, scenario] of candidates.entries()) {
    roll -= weights[index] ?? 0
    if (roll < 0) return scenario
  }
  return random.pick(candidates)
}

/** Chinese requests go to agents who write Chinese; English ones often to the English-speaking colleague. */
function pickAgent(random: Random, agents: readonly Person[], lang: Lang): Person {
  const sameLanguage = agents.filter((agent) => agent.lang === lang)
  if (lang === 'zh') return random.pick(sameLanguage.length > 0 ? sameLanguage : agents)
  return random.pick(sameLanguage.length > 0 && random.chance(0.5) ? sameLanguage : agents)
}

/**
 * Writes the story of one ticket as steps through the real use cases: intake, triage,
 * acceptance, first reply, transfers, questions to the customer, resolution, reopening and
 * closure, as far as its target status.
 */
function storyOf(deps: ServiceDeps, dir: Directory, plan: TicketPlan, random: Random, tally: Tally): { steps: Step[]; severity: Severity } {
  const { customer, status: target } = plan
  const lang = customer.lang
  const phrases = PHRASES[lang]
  const scenario = pickScenario(random, lang)
  const gold = customer.org?.vipLevel === 'gold'
  // Dynamic priority: a gold customer's normal request is handled as serious.
  const severity: Severity = gold && scenario.severity === 'P3' && random.chance(0.3) ? 'P2' : scenario.severity
  // Outside the desk's hours, and for requests nobody has picked up yet, no agent took a call:
  // the request came in through a self-service channel.
  const deskOpen = isOpen(plan.receivedAt, DESK_OFFSET_HOURS, DESK_HOURS)
  const channel = random.weighted(target === 'new' || !deskOpen ? SELF_SERVICE_CHANNEL_WEIGHTS[lang] : CHANNEL_WEIGHTS[lang])
  const fillers = FILLERS[lang]
  const values: Record<string, string> = {
    site: random.pick(fillers.site),
    printer: random.pick(fillers.printer),
    model: random.pick(fillers.model),
    serial: `CN${random.int(10_000_000, 99_999_999)}`,
    order: `SO${random.int(2_025_000, 2_026_999)}${String(random.int(0, 999)).padStart(3, '0')}`,
    n: String(random.int(100_000_000, 999_999_999)),
    date: formatDate(plan.receivedAt - random.int(2, 6) * DAY, lang),
    org: customer.org?.name ?? customer.name,
    customer: customer.name,
  }
  const text = (template: string, agent?: Person) => fill(template, { ...values, agent: agent?.name ?? '' })
  const tags = [...scenario.tags, ...(gold ? ['vip'] : [])]
  const l1 = pickAgent(random, dir.l1, lang)
  const specialist = pickAgent(random, dir.l2, lang)
  const engineer = pickAgent(random, dir.l3, lang)
  const otherL1 = pickAgent(random, dir.l1.filter((person) => person !== l1), lang)
  // Agents answer a caller by phone; callers send their details in writing, through the portal.
  const spoken = channel === 'walk_in' || channel === 'phone'
  const agentChannel: Channel = spoken ? 'phone' : channel
  const customerChannel: Channel = spoken ? 'portal' : channel

  const steps: Step[] = []
  const add = (by: StepActor, minMinutes: number, maxMinutes: number, run: () => Promise<void>) => {
    steps.push({ delay: Math.max(1000, random.minutes(minMinutes, maxMinutes)), by, run })
  }
  const ref: { id: string | null } = { id: null }
  const id = () => {
    if (ref.id === null) throw new Error('the demo ticket was not created yet')
    return ref.id
  }
  const say = (person: Person, body: string, visibility: 'public' | 'internal' = 'public') => async () => {
    const byCustomer = person.actor.roles.includes('customer')
    await addMessage(deps, person.actor, id(), { body, visibility, ...(visibility === 'public' ? { channel: byCustomer ? customerChannel : agentChannel } : {}) })
    tally.messages++
  }
  const act = (person: Person, action: TicketAction, reason?: string) => async () => {
    await transitionTicket(deps, person.actor, id(), { action, ...(reason !== undefined ? { reason } : {}) })
  }
  const transfer = (by: Person, to: Person, group: GroupKey, reason: string) => async () => {
    await transferTicket(deps, by.actor, id(), { assigneeId: to.user.id, groupId: dir.groupIds[group], reason })
    tally.transfers++
  }
  const classification = { type: scenario.type, severity, categoryId: dir.categoryIds[scenario.category], tags }
  const base = { subject: text(scenario.subject), description: text(scenario.description) }

  // Intake: the customer in the portal, the mail / WeChat gateway, or an agent on the phone or chat.
  let accepted = false
  if (channel === 'portal') {
    add('customer', 0, 0, async () => {
      const created = await createTicket(deps, customer.actor, { ...base, type: scenario.type, severity: scenario.severity, categoryId: classification.categoryId })
      ref.id = created.ticket.id
    })
    if (target !== 'new' || random.chance(0.5)) {
      add('desk', 2, 25, async () => {
        await updateTicket(deps, dir.supervisor.actor, id(), { groupId: dir.groupIds.firstLine, severity, tags })
      })
    }
  } else if (channel === 'email' || channel === 'wechat') {
    // The gateway turns the message into a ticket a moment after it arrived.
    add('intake', 0.5, 3, async () => {
      const created = await createTicket(deps, SYSTEM_ACTOR, {
        ...base,
        channel,
        requesterId: customer.user.id,
        groupId: dir.groupIds.firstLine,
        receivedAt: new Date(plan.receivedAt).toISOString(),
      })
      ref.id = created.ticket.id
    })
  } else {
    add('intake', 0, 0, async () => {
      const created = await createTicket(deps, l1.actor, {
        ...base,
        ...classification,
        channel,
        requesterId: customer.user.id,
        groupId: dir.groupIds.firstLine,
        assigneeId: l1.user.id,
      })
      ref.id = created.ticket.id
    })
    if (target !== 'new') {
      add('intake', 1, 4, act(l1, 'accept'))
      accepted = true
    }
  }
  if (target === 'new') return { steps, severity }

  const acceptWindow = { P1: [2, 10], P2: [5, 40], P3: [10, 90], P4: [1, 15] } as const
  if (!accepted) {
    const [from, to] = acceptWindow[severity]
    add('desk', from, to, act(l1, 'accept'))
    if (channel === 'email' || channel === 'wechat') {
      // Initial classification within 15 minutes of receipt.
      add('desk', 1, 8, async () => {
        await updateTicket(deps, l1.actor, id(), classification)
      })
    }
  }
  if (severity === 'P1') {
    add('desk', 2, 8, async () => {
      await updateTicket(deps, dir.supervisor.actor, id(), { watcherIds: [dir.manager.user.id], reason: phrases.escalation })
    })
    add('desk', 0.5, 2, say(dir.supervisor, phrases.escalationNote, 'internal'))
  }
  const replyNow = target !== 'accepted' || random.chance(0.5)
  if (replyNow) add('desk', 1, severity === 'P1' ? 4 : 12, say(l1, text(random.pick(phrases.ack), l1)))
  if (target === 'accepted') return { steps, severity }

  const quick = severity === 'P1' || severity === 'P4'
  add('desk', quick ? 1 : 5, quick ? 6 : 60, act(l1, 'start'))
  if (random.chance(0.35)) add('desk', 5, 60, say(l1, random.pick(phrases.notes), 'internal'))

  // Transfers between tiers, each with its reason; the first agent stays the owner.
  let assignee = l1
  const go = (minMinutes: number, maxMinutes: number) => (severity === 'P1' ? [minMinutes / 4, maxMinutes / 8] : [minMinutes, maxMinutes]) as [number, number]
  if (scenario.route === 'supervisor') {
    add('desk', ...go(10, 60), transfer(l1, dir.supervisor, 'firstLine', phrases.toSupervisor))
    add('desk', ...go(5, 40), say(dir.supervisor, text(phrases.complaintAck, dir.supervisor)))
    assignee = dir.supervisor
  } else if (scenario.route === 'L2' || scenario.route === 'L3') {
    add('desk', ...go(20, 180), transfer(l1, specialist, 'specialists', random.pick(phrases.toSpecialist)))
    add('desk', ...go(5, 40), say(specialist, phrases.pickUp, 'internal'))
    assignee = specialist
    if (scenario.route === 'L3' && (target !== 'in_progress' || random.chance(0.5))) {
      if (scenario.note !== undefined) add('desk', ...go(30, 240), say(specialist, scenario.note, 'internal'))
      add('desk', ...go(10, 90), transfer(specialist, engineer, 'engineering', phrases.toEngineering))
      assignee = engineer
    }
  } else if (random.chance(0.05)) {
    add('desk', 60, 300, transfer(l1, otherL1, 'firstLine', phrases.handover))
    assignee = otherL1
  }
  if (scenario.note !== undefined && scenario.route !== 'L3' && random.chance(0.7)) add('desk', ...go(10, 120), say(assignee, scenario.note, 'internal'))
  if (target === 'in_progress') return { steps, severity }

  // A question to the customer puts the ticket on hold; the answer takes it back into progress.
  const asks = target === 'waiting' || (severity !== 'P1' && random.chance(scenario.ask !== undefined ? 0.6 : 0.2))
  if (asks) {
    add('desk', 10, 120, say(assignee, text(scenario.ask ?? phrases.ask)))
    add('desk', 0.2, 1, act(assignee, 'wait', phrases.waitReason))
    if (target === 'waiting') return { steps, severity }
    add('customer', 60, 36 * 60, say(customer, text(scenario.answer ?? phrases.answer)))
  }

  const resolveWindow = { P1: [20, 150], P2: [120, 1200], P3: [180, 2880], P4: [5, 30] } as const
  const [fromResolve, toResolve] = resolveWindow[severity]
  add('desk', fromResolve, toResolve, say(assignee, text(scenario.fix, assignee)))
  add('desk', 0.2, 2, act(assignee, 'resolve', phrases.resolveReason))

  // Not fixed after all: the customer reopens within the window and the desk fixes it again.
  if (random.chance(0.08)) {
    const reopen = act(customer, 'reopen', phrases.reopenReason)
    add('customer', 120, 48 * 60, async () => {
      await reopen()
      tally.reopens++
    })
    add('customer', 0.5, 3, say(customer, phrases.reopenMessage))
    add('desk', 60, 24 * 60, say(assignee, phrases.secondFix))
    add('desk', 0.2, 2, act(assignee, 'resolve', phrases.resolveReason))
  }
  if (target === 'resolved') return { steps, severity }

  if (random.chance(0.6)) {
    if (random.chance(0.5)) add('customer', 60, 48 * 60, say(customer, random.pick(phrases.thanks)))
    add('customer', 30, 24 * 60, act(customer, 'close', phrases.customerClose))
  } else {
    // Follow-up visit (回访) by the first agent, who stays accountable, within 24 hours.
    add('desk', 120, 24 * 60, act(l1, 'close', phrases.followUpClose))
  }
  return { steps, severity }
}

/** Places the steps in time: in the actors' hours, squeezed when the story would run past now. */
function schedule(steps: readonly Step[], plan: TicketPlan, severity24x7: boolean, limit: number, random: Random): ScheduledStep[] {
  const times: number[] = []
  let at = plan.receivedAt
  for (const step of steps) {
    at += step.delay
    if (step.by === 'desk' && !severity24x7) at = intoOpenHours(at, DESK_OFFSET_HOURS, DESK_HOURS, random)
    if (step.by === 'customer' && times.length > 0) at = intoOpenHours(at, plan.customer.offsetHours, CUSTOMER_HOURS, random)
    times.push(at)
  }
  const last = times.at(-1) ?? plan.receivedAt
  const room = limit - plan.receivedAt
  if (last > limit && room > 0) {
    const factor = room / (last - plan.receivedAt)
    for (let index = 0; index < times.length; index++) {
      const time = times[index] ?? plan.receivedAt
      times[index] = plan.receivedAt + Math.floor((time - plan.receivedAt) * factor)
    }
  }
  // Strictly increasing, so a ticket's steps keep their order whatever else happens at the same time.
  for (let index = 1; index < times.length; index++) {
    const previous = times[index - 1] ?? plan.receivedAt
    if ((times[index] ?? 0) <= previous) times[index] = previous + 1000
  }
  return steps.map((step, order) => ({ at: times[order] ?? plan.receivedAt, ticket: plan.index, order, run: step.run }))
}

async function seedTickets(deps: ServiceDeps, clock: DemoClock, dir: Directory, count: number, now: number, random: Random): Promise<Tally> {
  const arrivals = Array.from({ length: count }, () => {
    const customer = random.pick(dir.customers)
    return { customer, receivedAt: arrivalTime(random, now, customer.offsetHours) }
  }).sort((a, b) => a.receivedAt - b.receivedAt)
  const statuses = arrivals.map((arrival) => statusForAge(random, now - arrival.receivedAt))
  coverAllStatuses(statuses)

  const tally: Tally = { messages: 0, transfers: 0, reopens: 0 }
  const scheduled: ScheduledStep[] = []
  arrivals.forEach((arrival, index) => {
    const plan: TicketPlan = { index, receivedAt: arrival.receivedAt, status: statuses[index] ?? 'new', customer: arrival.customer }
    const { steps, severity } = storyOf(deps, dir, plan, random, tally)
    // A story that would run past now ends a little before it, not all of them at the same instant.
    const ageMinutes = (now - arrival.receivedAt) / MINUTE
    const limit = now - random.minutes(Math.min(2, ageMinutes / 4), Math.min(180, ageMinutes / 3))
    // P1 stories run around the clock; the others wait for the desk's hours.
    scheduled.push(...schedule(steps, plan, severity === 'P1', limit, random))
  })
  // One timeline for the whole desk, so ticket numbers and event ids follow the clock.
  scheduled.sort((a, b) => a.at - b.at || a.ticket - b.ticket || a.order - b.order)
  for (const step of scheduled) {
    clock.set(step.at)
    await step.run()
  }
  return tally
}

// ---------------------------------------------------------------------------------------------
// The command

interface DeskCounts {
  readonly organisations: number
  readonly customers: number
  readonly staff: number
  readonly groups: number
  readonly categories: number
  readonly tickets: number
  readonly byStatus: Readonly<Partial<Record<string, number>>>
  readonly messages: number
}

/** Read-only counts for the summary. */
async function countDesk(deps: ServiceDeps): Promise<DeskCounts> {
  const count = async (table: 'organisations' | 'groups' | 'categories' | 'tickets' | 'messages') =>
    Number((await deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const users = await deps.db.selectFrom('users').select('roles').execute()
  const customers = users.filter((user) => user.roles.length === 1 && user.roles[0] === 'customer').length
  const statuses = await deps.db.selectFrom('tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute()
  return {
    organisations: await count('organisations'),
    customers,
    staff: users.length - customers,
    groups: await count('groups'),
    categories: await count('categories'),
    tickets: await count('tickets'),
    byStatus: Object.fromEntries(statuses.map((row) => [row.status, Number(row.n)])),
    messages: await count('messages'),
  }
}

function statusBreakdown(counts: DeskCounts): string {
  return TICKET_STATUSES.map((status) => `${status.replace('_', ' ')} ${counts.byStatus[status] ?? 0}`).join(', ')
}

function signInHelp(): string {
  const email = (mailbox: string) => {
    const seed = STAFF.find((candidate) => candidate.mailbox === mailbox)
    if (seed === undefined) throw new Error(`no demo staff member ${mailbox}`)
    return staffEmail(seed)
  }
  const customer = (mailbox: string) => {
    const seed = CUSTOMERS.find((candidate) => candidate.mailbox === mailbox)
    if (seed === undefined) throw new Error(`no demo customer ${mailbox}`)
    return customerEmail(seed, localityOf(seed).lang)
  }
  return (
    `Sign in with the password ${DEMO_PASSWORD} (the same for every demo person) as ${email('he.lei')} (supervisor), ` +
    `${email('lin.zhiyuan')} (manager), ${email('zhang.min')} or ${email('emily.carter')} (L1 agents), ${email('sun.hao')} (L2), ` +
    `${email('zheng.kai')} (L3), or as the customers ${customer('wang.wei')} and ${customer('anna.schmidt')} (organisation admins); ` +
    'the administrator is the one `loopdesk serve` creates.'
  )
}

/** Refuses to mix demo records into a desk already in use. */
async function assertEmptyDesk(deps: ServiceDeps): Promise<void> {
  const counts = await countDesk(deps)
  if (counts.tickets > 0 || counts.groups > 0 || counts.categories > 0) {
    throw new AppError(
      'CONFLICT',
      `seed-demo fills an empty desk, and this one already has ${counts.tickets} tickets, ${counts.groups} groups and ${counts.categories} categories; use a new data directory (or database)`,
    )
  }
}

/** Fills an empty desk with a zh/en demo workspace through the use cases and returns a summary; an existing demo is left as it is. */
export async function seedDemo(deps: ServiceDeps, options: { tickets: number }): Promise<string> {
  const count = options.tickets
  if (!Number.isInteger(count) || count < 0 || count > MAX_DEMO_TICKETS) {
    throw invalidField('tickets', `a whole number from 0 to ${MAX_DEMO_TICKETS}`)
  }
  const marker = (await listOrganisations(deps, SYSTEM_ACTOR, { q: DEMO_MARKER_ORGANISATION, limit: 10 })).items.find(
    (org) => org.name === DEMO_MARKER_ORGANISATION,
  )
  if (marker !== undefined) {
    if (marker.notes?.includes(COMPLETE_MARK) !== true) {
      throw new AppError(
        'CONFLICT',
        `an earlier seed-demo stopped part-way (the organisation ${DEMO_MARKER_ORGANISATION} exists but the seed did not finish); seed the demo into an empty database`,
      )
    }
    const counts = await countDesk(deps)
    return (
      `The demo workspace is already there (found the organisation ${DEMO_MARKER_ORGANISATION}), so nothing was added: ` +
      'seed-demo seeds once and never adds to an existing demo. ' +
      `The desk holds ${counts.tickets} tickets (${statusBreakdown(counts)}), ${counts.organisations} organisations, ` +
      `${counts.customers} customers and ${counts.staff} staff. ${signInHelp()} To seed afresh, start from an empty database (for example a new data directory).`
    )
  }
  await assertEmptyDesk(deps)

  const now = deps.clock().getTime()
  let current = now
  const local: ServiceDeps = { ...deps, clock: () => new Date(current) }
  const clock: DemoClock = {
    set: (at) => {
      current = at
    },
  }
  const random = new Random(SEED)
  // The directory is set up a fortnight before the first ticket, at 09:00 in Shanghai.
  const today = Math.floor((now + DESK_OFFSET_HOURS * HOUR) / DAY) * DAY - DESK_OFFSET_HOURS * HOUR
  const directory = await seedDirectory(local, clock, today - (SPAN_DAYS + 14) * DAY + 9 * HOUR)
  const tally = await seedTickets(local, clock, directory, count, now, random)
  clock.set(now)
  await updateOrganisation(local, SYSTEM_ACTOR, directory.markerOrganisationId, { notes: `${MARKER_NOTES} (${COMPLETE_MARK}: ${count} tickets)` })

  const counts = await countDesk(deps)
  const tiers = `${directory.l1.length} L1, ${directory.l2.length} L2 and ${directory.l3.length} L3 agents, a supervisor and a manager`
  return (
    `Seeded the Loopdesk demo workspace in Chinese and English: ${ORGANISATIONS.length} organisations, ${directory.customers.length} customers, ` +
    `${STAFF.length} staff (${tiers}), ${Object.keys(GROUPS).length} groups, ${CATEGORIES.length} categories and ${count} tickets ` +
    `received over the last ${SPAN_DAYS} days (${statusBreakdown(counts)}), with ${tally.messages} replies and internal notes, ` +
    `${tally.transfers} transfers and ${tally.reopens} reopenings. ${signInHelp()} ` +
    `Running seed-demo again adds nothing: it recognises the demo by the organisation ${DEMO_MARKER_ORGANISATION}.`
  )
}
