// What every refusal says in an untrusted workspace: running commands is what trust is for. Its own
// module: the card, the API and the session all say it, and none of them should import another for it.
export const UNTRUSTED = 'This workspace is not trusted, so Job Queue does not run commands here. Trust the workspace to run jobs.';
