import { useTranslation } from 'react-i18next'
import { LANGUAGES, type Language, changeLanguage } from '../i18n.ts'

/** Switches between 简体中文 and English; the choice is remembered on this device. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select value={i18n.language} onChange={(event) => changeLanguage(event.target.value as Language)} data-testid="language-switch">
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {t(`language.${language}`)}
          </option>
        ))}
      </select>
    </label>
  )
}
