import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import adminEn from './locales/en/admin.json'
import agentEn from './locales/en/agent.json'
import commonEn from './locales/en/common.json'
import portalEn from './locales/en/portal.json'
import adminZh from './locales/zh-CN/admin.json'
import agentZh from './locales/zh-CN/agent.json'
import commonZh from './locales/zh-CN/common.json'
import portalZh from './locales/zh-CN/portal.json'
import chatEn from './locales/en/chat.json'
import chatZh from './locales/zh-CN/chat.json'
import phoneEn from './locales/en/phone.json'
import phoneZh from './locales/zh-CN/phone.json'
import integrationsEn from './locales/en/integrations.json'
import integrationsZh from './locales/zh-CN/integrations.json'
import customersEn from './locales/en/customers.json'
import customersZh from './locales/zh-CN/customers.json'

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

const STORAGE_KEY = 'loopdesk.language'

/** The stored choice, else the browser's first language we speak (any Chinese → zh-CN), else English. */
export function detectLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY)
  if (stored === 'zh-CN' || stored === 'en') return stored
  for (const language of navigator.languages) {
    if (language.toLowerCase().startsWith('zh')) return 'zh-CN'
    if (language.toLowerCase().startsWith('en')) return 'en'
  }
  return 'en'
}

export function changeLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language)
  void i18next.changeLanguage(language)
  document.documentElement.lang = language
}

export async function initI18n(): Promise<void> {
  const language = detectLanguage()
  document.documentElement.lang = language
  await i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    ns: ['common', 'agent', 'portal', 'admin', 'chat', 'phone', 'integrations', 'customers'],
    defaultNS: 'common',
    resources: {
      'zh-CN': { common: commonZh, agent: agentZh, portal: portalZh, admin: adminZh, chat: chatZh, phone: phoneZh, integrations: integrationsZh, customers: customersZh },
      en: { common: commonEn, agent: agentEn, portal: portalEn, admin: adminEn, chat: chatEn, phone: phoneEn, integrations: integrationsEn, customers: customersEn },
    },
    interpolation: { escapeValue: false },
    returnNull: false,
  })
}
