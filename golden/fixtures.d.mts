/** Wire payloads as the server sends them (from the Client API reference): canonical, so encoding their decoded value gives them back exactly. */
export declare const inbox: any
export declare const contactSession: any
export declare const contactRecord: any
export declare const agent: any
export declare const contactSender: any
export declare const imageAttachment: any
export declare const locationAttachment: any
export declare const restMessage: any
export declare const incomingRestMessage: any
export declare const conversation: any
export declare const messagePayload: any
export declare const echoPayload: any
export declare const contactInbox: any
export declare const conversationPayload: any
export declare const typingPayload: any
export declare const presencePayload: any
