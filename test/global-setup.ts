// Replaced by the database template set-up; kept minimal so simulator tests can run meanwhile.
export default async function setup(): Promise<void> {}
