/**
 * Interface language: Russian (default) and English. Shared texts live in `COMMON`; a page keeps
 * its own texts next to it with `defineMessages({ ru: {...}, en: {...} })` and reads them with
 * `useMessages(messages)`, so pages never edit a shared dictionary.
 */
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useMemo,
  useState,
  type ReactNode,
} from 'react';

export type Lang = 'ru' | 'en';
export const LANGS: readonly Lang[] = ['ru', 'en'];

export type Messages<K extends string> = { ru: Record<K, string>; en: Record<K, string> };

/** Declares a page's texts; both languages must have the same keys. */
export function defineMessages<K extends string>(messages: Messages<K>): Messages<K> {
  return messages;
}

/** Replaces `{name}` placeholders with values. */
export function format(text: string, values?: Record<string, string | number>): string {
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export const COMMON = defineMessages({
  ru: {
    appName: 'nextoffer',
    navOverview: 'Обзор',
    navHistory: 'История',
    navClient: 'Клиент',
    navPlayground: 'Песочница офферов',
    navSegments: 'Сегменты',
    navData: 'Данные',
    navExperiments: 'Эксперименты и модели',
    navUsers: 'Пользователи',
    menu: 'Меню',
    logout: 'Выйти',
    loading: 'Загрузка…',
    retry: 'Повторить',
    errorTitle: 'Ошибка',
    empty: 'Нет данных',
    forbidden: 'Недостаточно прав для этой страницы',
    notFound: 'Страница не найдена',
    language: 'Язык',
    save: 'Сохранить',
    cancel: 'Отмена',
    close: 'Закрыть',
    apply: 'Применить',
    reset: 'Сбросить',
    yes: 'да',
    no: 'нет',
  },
  en: {
    appName: 'nextoffer',
    navOverview: 'Overview',
    navHistory: 'History',
    navClient: 'Client',
    navPlayground: 'Offer playground',
    navSegments: 'Segments',
    navData: 'Data',
    navExperiments: 'Experiments & models',
    navUsers: 'Users',
    menu: 'Menu',
    logout: 'Log out',
    loading: 'Loading…',
    retry: 'Retry',
    errorTitle: 'Error',
    empty: 'No data',
    forbidden: 'Your role may not open this page',
    notFound: 'Page not found',
    language: 'Language',
    save: 'Save',
    cancel: 'Cancel',
    close: 'Close',
    apply: 'Apply',
    reset: 'Reset',
    yes: 'yes',
    no: 'no',
  },
});

interface LangState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangState>({ lang: 'ru', setLang: () => undefined });
const STORAGE_KEY = 'nextoffer.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return saved === 'en' || saved === 'ru' ? saved : 'ru';
  } catch {
    return 'ru';
  }
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    document.documentElement.lang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage may be unavailable (private mode); the choice then lasts for this page only
    }
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return createElement(LangContext.Provider, { value }, children);
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** `t(key, values?)` over a page's messages in the current language. */
export function useMessages<K extends string>(
  messages: Messages<K>,
): (key: K, values?: Record<string, string | number>) => string {
  const { lang } = useLang();
  return useCallback((key: K, values) => format(messages[lang][key], values), [messages, lang]);
}

/** Shared texts (navigation, states, buttons). */
export function useCommon() {
  return useMessages(COMMON);
}

/** Number and date formatting in the current language. */
export function useFormat() {
  const { lang } = useLang();
  return useMemo(() => {
    const locale = lang === 'ru' ? 'ru-RU' : 'en-GB';
    return {
      number: (n: number, digits = 0) =>
        n.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }),
      percent: (n: number | null) =>
        n === null ? '—' : n.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 1 }),
      dateTime: (iso: string) => new Date(iso).toLocaleString(locale),
      date: (iso: string) => new Date(iso).toLocaleDateString(locale),
    };
  }, [lang]);
}
