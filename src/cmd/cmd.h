/*
 * cmd.h — the subcommands of `vaksam`, one file each in src/cmd/.
 *
 * Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status.  Every subcommand
 * answers --help with its usage on standard output and status 0.
 */
#ifndef VK_CMD_CMD_H
#define VK_CMD_CMD_H

/* One line per subcommand, in the order of main.c's table. */
int cmd_hunt(int argc, char **argv);
int cmd_ioc(int argc, char **argv);

#endif
