/** A calendar day as GraphQL inputs take it (YYYY-MM-DD), and the message a wrong one gets. */
export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const CALENDAR_DATE_MESSAGE = 'must be a date written YYYY-MM-DD';
