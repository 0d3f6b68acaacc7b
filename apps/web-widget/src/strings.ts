/**
 * Every string the widget shows or announces, in English and Arabic (right to left). A new language is one more
 * object of the same shape.
 */
import type { ReplyTime } from "./settings.js"

/** The widget's strings in one language. */
export interface Strings {
  readonly dir: "ltr" | "rtl"
  readonly openChat: string
  readonly closeChat: string
  readonly unread: (count: number) => string
  readonly title: string
  readonly online: string
  readonly away: string
  readonly backAt: (when: string) => string
  readonly replyTime: Record<ReplyTime, string>
  readonly today: string
  readonly tomorrow: string
  readonly yesterday: string
  readonly dayAt: (day: string, time: string) => string
  readonly connecting: string
  readonly reconnecting: string
  readonly disconnected: string
  readonly messages: string
  readonly typing: string
  readonly composer: string
  readonly send: string
  readonly attach: string
  readonly dropHere: string
  readonly status: Record<"pending" | "sent" | "delivered" | "read" | "failed", string>
  readonly retry: string
  readonly you: string
  readonly support: string
  readonly attachment: string
  readonly uploading: (name: string) => string
  readonly fileTooLarge: (name: string, limit: string) => string
  readonly serverRefusedFile: (name: string) => string
  readonly notSent: (reason: string) => string
  readonly preChatIntro: string
  readonly name: string
  readonly email: string
  readonly startChat: string
  readonly resolved: string
  readonly startNew: string
  readonly rateConversation: string
  readonly rate: (rating: number) => string
  readonly rated: (rating: number) => string
  readonly ratingNotSent: string
  readonly failed: (reason: string) => string
}

const en: Strings = {
  dir: "ltr",
  openChat: "Open chat",
  closeChat: "Close chat",
  unread: (count) => `${count} unread ${count === 1 ? "message" : "messages"}`,
  title: "Chat with us",
  online: "We are online",
  away: "We are away at the moment",
  backAt: (when) => `We will be back ${when}`,
  replyTime: {
    in_a_few_minutes: "Typically replies in a few minutes",
    in_a_few_hours: "Typically replies in a few hours",
    in_a_day: "Typically replies in a day"
  },
  today: "today",
  tomorrow: "tomorrow",
  yesterday: "yesterday",
  dayAt: (day, time) => `${day} at ${time}`,
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  disconnected: "Disconnected",
  messages: "Messages",
  typing: "The agent is typing…",
  composer: "Type your message",
  send: "Send",
  attach: "Attach files",
  dropHere: "Drop files to send them",
  status: { pending: "Sending", sent: "Sent", delivered: "Delivered", read: "Read", failed: "Not sent" },
  retry: "Retry",
  you: "You",
  support: "Support",
  attachment: "Attachment",
  uploading: (name) => `Uploading ${name}`,
  fileTooLarge: (name, limit) => `${name} is too large: files up to ${limit} can be sent.`,
  serverRefusedFile: (name) => `The server refused ${name}: it is too large.`,
  notSent: (reason) => `Not sent: ${reason}`,
  preChatIntro: "Tell us who you are, and we will get back to you.",
  name: "Name",
  email: "Email",
  startChat: "Start chat",
  resolved: "This conversation was resolved.",
  startNew: "Start a new conversation",
  rateConversation: "Rate this conversation",
  rate: (rating) => `Rate ${rating} out of 5`,
  rated: (rating) => `Thank you for your rating (${rating}/5)`,
  ratingNotSent: "Your rating was not sent; try again.",
  failed: (reason) => `The chat could not start: ${reason}`
}

const ar: Strings = {
  dir: "rtl",
  openChat: "افتح المحادثة",
  closeChat: "أغلق المحادثة",
  unread: (count) => `${count} رسائل غير مقروءة`,
  title: "تحدث معنا",
  online: "نحن متصلون الآن",
  away: "نحن غير متاحين حاليًا",
  backAt: (when) => `سنعود ${when}`,
  replyTime: {
    in_a_few_minutes: "نرد عادةً خلال دقائق",
    in_a_few_hours: "نرد عادةً خلال ساعات",
    in_a_day: "نرد عادةً خلال يوم"
  },
  today: "اليوم",
  tomorrow: "غدًا",
  yesterday: "أمس",
  dayAt: (day, time) => `${day} الساعة ${time}`,
  connecting: "جارٍ الاتصال…",
  reconnecting: "جارٍ إعادة الاتصال…",
  disconnected: "انقطع الاتصال",
  messages: "الرسائل",
  typing: "الموظف يكتب…",
  composer: "اكتب رسالتك",
  send: "إرسال",
  attach: "إرفاق ملفات",
  dropHere: "أفلت الملفات لإرسالها",
  status: { pending: "جارٍ الإرسال", sent: "أُرسلت", delivered: "وصلت", read: "قُرئت", failed: "لم تُرسل" },
  retry: "أعد المحاولة",
  you: "أنت",
  support: "الدعم",
  attachment: "مرفق",
  uploading: (name) => `جارٍ رفع ${name}`,
  fileTooLarge: (name, limit) => `${name} كبير جدًا: الحد الأقصى ${limit}.`,
  serverRefusedFile: (name) => `رفض الخادم ${name}: حجمه كبير جدًا.`,
  notSent: (reason) => `لم تُرسل: ${reason}`,
  preChatIntro: "عرّفنا بنفسك وسنعود إليك.",
  name: "الاسم",
  email: "البريد الإلكتروني",
  startChat: "ابدأ المحادثة",
  resolved: "تم حل هذه المحادثة.",
  startNew: "ابدأ محادثة جديدة",
  rateConversation: "قيّم هذه المحادثة",
  rate: (rating) => `تقييم ${rating} من 5`,
  rated: (rating) => `شكرًا لتقييمك (${rating}/5)`,
  ratingNotSent: "لم يُرسل تقييمك؛ حاول مرة أخرى.",
  failed: (reason) => `تعذّر بدء المحادثة: ${reason}`
}

/** The strings of a locale (`en` when there are none for it). */
export const stringsFor = (locale: string): Strings => (locale === "ar" ? ar : en)
